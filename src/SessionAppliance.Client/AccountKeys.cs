using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Auth;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Crypto;

namespace SessionAppliance.Client;

/// <summary>
/// An account a client signs for. A Session ID (05) is the X25519 image of the user's Ed25519 key and sends
/// that Ed25519 key as pubkey_ed25519; any other prefix (03 groups) signs with the account key itself.
/// </summary>
public sealed class AccountKeys
{
    private AccountKeys(AccountId account, Ed25519KeyPair signingKeys)
    {
        Account = account;
        SigningKeys = signingKeys;
    }

    public AccountId Account { get; }

    public Ed25519KeyPair SigningKeys { get; }

    /// <summary>A Session ID: 05 ‖ X25519(Ed25519 public key).</summary>
    public static AccountKeys SessionId(Ed25519KeyPair user)
    {
        if (!Ed25519.TryToX25519PublicKey(user.PublicKey, out var x25519))
        {
            throw new ArgumentException("key does not convert to X25519", nameof(user));
        }

        return new AccountKeys(AccountId.FromBytes([AccountId.SessionIdPrefix, .. x25519]), user);
    }

    /// <summary>An Ed25519-keyed account such as a group (03).</summary>
    public static AccountKeys Ed25519Account(byte prefix, Ed25519KeyPair keys) =>
        new(AccountId.FromBytes([prefix, .. keys.PublicKey]), keys);

    public static AccountKeys NewSessionId() => SessionId(Ed25519.Generate());

    public byte[] Sign(ReadOnlySpan<byte> message) => Ed25519.Sign(message, SigningKeys);

    /// <summary>Signs a subaccount token with the account key, as the account owner hands it out.</summary>
    public SubaccountCredentials Delegate(SubaccountFlags flags, Ed25519KeyPair subaccountKeys)
    {
        var token = SubaccountToken.Create(Account.Prefix, flags, subaccountKeys.PublicKey);
        return new SubaccountCredentials(token, Sign(token.Bytes), subaccountKeys);
    }

    /// <summary>The pubkey_ed25519 field a 05 account must send; null for other accounts.</summary>
    public string? PubkeyEd25519Hex => Account.IsSessionId ? HexText.Encode(SigningKeys.PublicKey) : null;
}
