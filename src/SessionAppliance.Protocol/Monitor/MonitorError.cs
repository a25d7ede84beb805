namespace SessionAppliance.Protocol.Monitor;

/// <summary>The <c>errcode</c> values of a <c>monitor.messages</c> answer, as the reference numbers them.</summary>
public enum MonitorError
{
    BadArgs = 1,
    BadPubkey = 2,
    BadNamespace = 3,
    BadTimestamp = 4,
    BadSignature = 5,
}
