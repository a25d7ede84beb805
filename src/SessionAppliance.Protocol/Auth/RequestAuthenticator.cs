using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Crypto;

namespace SessionAppliance.Protocol.Auth;

/// <summary>
/// Checks a request signature the way the reference does (spec §3.3): the 05 → pubkey_ed25519 conversion
/// rule when pubkey_ed25519 is given, then either the account key or a subaccount token checked in the documented order.
/// </summary>
public static class RequestAuthenticator
{
    /// <summary>
    /// Verifies <paramref name="signedMessage"/>. Returns the permissions granted (all of them for the owner
    /// key itself), or <c>null</c> when verification fails.
    /// </summary>
    public static SubaccountFlags? Verify(AccountId account, RequestAuth auth, ReadOnlySpan<byte> signedMessage,
        SubaccountFlags required, Func<SubaccountToken, bool> isRevoked)
    {
        if (!TryAccountVerificationKey(account, auth.PubkeyEd25519, out var accountKey))
        {
            return null;
        }

        if (auth.Subaccount is not { } token)
        {
            return Ed25519.Verify(auth.Signature, signedMessage, accountKey) ? OwnerFlags : null;
        }

        if (isRevoked(token)
            || (token.Prefix != account.Prefix && !token.Grants(SubaccountFlags.AnyPrefix))
            || !token.Grants(required)
            || auth.SubaccountSignature is null
            || !Ed25519.Verify(auth.SubaccountSignature, token.Bytes, accountKey)
            || !Ed25519.Verify(auth.Signature, signedMessage, token.PublicKey))
        {
            return null;
        }

        return token.Flags;
    }

    private const SubaccountFlags OwnerFlags = SubaccountFlags.Read | SubaccountFlags.Write | SubaccountFlags.Delete;

    /// <summary>
    /// The reference's key choice: a 05 account that sends pubkey_ed25519 verifies with it, and it must convert
    /// to the account's X25519 key; every other request (05 without pubkey_ed25519 included) verifies with the
    /// account key's 32 bytes as an Ed25519 key. A real X25519 Session ID then fails the signature check.
    /// </summary>
    private static bool TryAccountVerificationKey(AccountId account, byte[]? pubkeyEd25519, out byte[] key)
    {
        key = [];
        if (!account.IsSessionId || pubkeyEd25519 is null)
        {
            key = account.Key.ToArray();
            return true;
        }

        if (!Ed25519.TryToX25519PublicKey(pubkeyEd25519, out var converted)
            || !converted.AsSpan().SequenceEqual(account.Key))
        {
            return false;
        }

        key = pubkeyEd25519;
        return true;
    }
}
