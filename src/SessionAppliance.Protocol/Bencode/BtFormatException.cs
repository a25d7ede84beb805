namespace SessionAppliance.Protocol.Bencode;

/// <summary>The input is not one well-formed bencoded value.</summary>
public sealed class BtFormatException(string message) : FormatException(message);
