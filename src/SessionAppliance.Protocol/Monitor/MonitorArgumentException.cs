namespace SessionAppliance.Protocol.Monitor;

/// <summary>An unreadable subscription field; answered as errcode 1 with "Invalid arguments: " and this text.</summary>
internal sealed class MonitorArgumentException(string message) : Exception(message);
