using SessionAppliance.Protocol.Auth;
using SessionAppliance.Protocol.Crypto;

namespace SessionAppliance.Client;

/// <summary>A subaccount token, the owner's signature over it, and the subaccount's own signing keys.</summary>
public sealed record SubaccountCredentials(SubaccountToken Token, byte[] TokenSignature, Ed25519KeyPair Keys);
