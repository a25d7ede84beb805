namespace SessionAppliance.Protocol.Auth;

/// <summary>
/// The authentication fields of a request: the signature, the Ed25519 key of a 05 Session ID, and an
/// optional subaccount token with the account's signature over it.
/// </summary>
public sealed record RequestAuth(byte[] Signature, byte[]? PubkeyEd25519, SubaccountToken? Subaccount, byte[]? SubaccountSignature);
