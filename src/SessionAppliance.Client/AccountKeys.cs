using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Auth;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Crypto;

namespace SessionAppliance.Client;

/// <summary>
/// An account a client signs for. A Session ID (05) is the X25519 image of the user's Ed25519 key and sends
/// that Ed25519 key as pubkey_ed25519; an Ed25519-keyed account (03 groups, or any prefix in front of a raw
/// Ed25519 key, 05 included) sends no pubkey_ed25519 and signs with the account key itself.
/// </summary>
public sealed class AccountKeys
{
    private readonly bool _sendsPubkeyEd25519;

    private AccountKeys(AccountId account, Ed25519KeyPair signingKeys, bool sendsPubkeyEd25519)
    {
        Account = account;
        SigningKeys = signingKeys;
        _sendsPubkeyEd25519 = sendsPubkeyEd25519;
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

        return new AccountKeys(AccountId.FromBytes([AccountId.SessionIdPrefix, .. x25519]), user, sendsPubkeyEd25519: true);
    }

    /// <summary>An Ed25519-keyed account such as a group (03): the prefix followed by the Ed25519 key itself.</summary>
    public static AccountKeys Ed25519Account(byte prefix, Ed25519KeyPair keys) =>
        new(AccountId.FromBytes([prefix, .. keys.PublicKey]), keys, sendsPubkeyEd25519: false);

    public static AccountKeys NewSessionId() => SessionId(Ed25519.Generate());

    public byte[] Sign(ReadOnlySpan<byte> message) => Ed25519.Sign(message, SigningKeys);

    /// <summary>Signs a subaccount token with the account key, as the account owner hands it out.</summary>
    public SubaccountCredentials Delegate(SubaccountFlags flags, Ed25519KeyPair subaccountKeys)
    {
        var token = SubaccountToken.Create(Account.Prefix, flags, subaccountKeys.PublicKey);
        return new SubaccountCredentials(token, Sign(token.Bytes), subaccountKeys);
    }

    /// <summary>The pubkey_ed25519 field a Session ID sends; null for Ed25519-keyed accounts.</summary>
    public string? PubkeyEd25519Hex => _sendsPubkeyEd25519 ? HexText.Encode(SigningKeys.PublicKey) : null;
}
