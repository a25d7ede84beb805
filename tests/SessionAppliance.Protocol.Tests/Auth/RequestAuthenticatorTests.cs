using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Auth;
using SessionAppliance.Protocol.Crypto;

namespace SessionAppliance.Protocol.Tests.Auth;

public class RequestAuthenticatorTests
{
    private static readonly Ed25519KeyPair User = Ed25519.FromSeed(Convert.FromHexString("4cb76fdc6d32278e3f83dbf608360ecc6b65727934b85d2fb86862ff98c46ab7"));

    private static readonly AccountId SessionId = SessionIdOf(User);

    private static AccountId SessionIdOf(Ed25519KeyPair keys)
    {
        Assert.True(Ed25519.TryToX25519PublicKey(keys.PublicKey, out var x25519));
        return AccountId.FromBytes([AccountId.SessionIdPrefix, .. x25519]);
    }

    private static readonly byte[] Message = "retrieve1700000000000"u8.ToArray();

    [Fact]
    public void Session_id_verifies_with_its_pubkey_ed25519()
    {
        var auth = new RequestAuth(Ed25519.Sign(Message, User), User.PublicKey, null, null);

        Assert.NotNull(RequestAuthenticator.Verify(SessionId, auth, Message, SubaccountFlags.Read, _ => false));
    }

    [Fact]
    public void Session_id_fails_without_pubkey_ed25519_or_with_one_that_does_not_convert_to_it()
    {
        var other = Ed25519.Generate();

        Assert.Null(RequestAuthenticator.Verify(SessionId, new RequestAuth(Ed25519.Sign(Message, User), null, null, null), Message, SubaccountFlags.Read, _ => false));
        Assert.Null(RequestAuthenticator.Verify(SessionId, new RequestAuth(Ed25519.Sign(Message, other), other.PublicKey, null, null), Message, SubaccountFlags.Read, _ => false));
    }

    [Theory]
    [InlineData(0x05)]
    [InlineData(0x03)]
    [InlineData(0x00)]
    [InlineData(0x15)]
    public void Without_pubkey_ed25519_the_account_key_itself_verifies_whatever_the_prefix(byte prefix)
    {
        var account = AccountId.FromBytes([prefix, .. User.PublicKey]);
        var auth = new RequestAuth(Ed25519.Sign(Message, User), null, null, null);

        Assert.NotNull(RequestAuthenticator.Verify(account, auth, Message, SubaccountFlags.Read, _ => false));
    }

    [Fact]
    public void A_05_subaccount_without_pubkey_ed25519_checks_the_token_against_the_account_key_itself()
    {
        var account = AccountId.FromBytes([AccountId.SessionIdPrefix, .. User.PublicKey]);
        var sub = Ed25519.Generate();
        var token = SubaccountToken.Create(0x05, SubaccountFlags.Read, sub.PublicKey);
        var auth = new RequestAuth(Ed25519.Sign(Message, sub), null, token, Ed25519.Sign(token.Bytes, User));

        Assert.Equal(SubaccountFlags.Read, RequestAuthenticator.Verify(account, auth, Message, SubaccountFlags.Read, _ => false));
        Assert.Null(RequestAuthenticator.Verify(SessionId, auth, Message, SubaccountFlags.Read, _ => false));
    }

    [Fact]
    public void Subaccount_checks_revocation_prefix_flags_and_both_signatures()
    {
        var sub = Ed25519.Generate();
        var token = SubaccountToken.Create(0x05, SubaccountFlags.Read, sub.PublicKey);
        var auth = new RequestAuth(Ed25519.Sign(Message, sub), User.PublicKey, token, Ed25519.Sign(token.Bytes, User));

        Assert.Equal(SubaccountFlags.Read, RequestAuthenticator.Verify(SessionId, auth, Message, SubaccountFlags.Read, _ => false));
        Assert.Null(RequestAuthenticator.Verify(SessionId, auth, Message, SubaccountFlags.Read, _ => true));
        Assert.Null(RequestAuthenticator.Verify(SessionId, auth, Message, SubaccountFlags.Write, _ => false));
        Assert.Null(RequestAuthenticator.Verify(SessionId, auth with { SubaccountSignature = null }, Message, SubaccountFlags.Read, _ => false));
        Assert.Null(RequestAuthenticator.Verify(SessionId, auth with { Signature = Ed25519.Sign(Message, User) }, Message, SubaccountFlags.Read, _ => false));
    }
}
