using System.Text;
using SessionAppliance.Protocol.Onion;

namespace SessionAppliance.Protocol.Tests.Onion;

/// <summary>Spec §10: libsession-util tests/test_onionreq.cpp, "Onion request encryption" and "parser".</summary>
public class HopCryptoVectorTests
{
    private static readonly byte[] A = Convert.FromHexString("bbdfc83022d0aff084a6f0c529a93d1c4d728bf7e41199afed0e01ae70d20540");
    private static readonly byte[] B = Convert.FromHexString("caea52c5b0c316d85ffb53ea536826618b13dee40685f166f632653114526a78");
    private static readonly byte[] SecretB = Convert.FromHexString("8fcd8ad3a15c76f76f1c56dff0c529999f8c59b4acda79e05666e54d5727dca1");

    [Theory]
    [InlineData(OnionCipher.AesGcm, "1eb6ae1cd72f60999486365749bd5dc15cc0b6a2a44d7d063daa5e93722f0c025fd00306403b61")]
    [InlineData(OnionCipher.XChaCha20Poly1305, "9e1a3abe60eff3ea5c23556cc7e225b6f94355315f7281f66ecf4dbb06e7899a52b863e03cde3b287d1638d765db75de02b032")]
    public void Server_decrypts_the_reference_blobs_to_hello_world(OnionCipher cipher, string blob)
    {
        var key = new HopKeyDeriver(SecretB, B).Derive(cipher, A)!.Value;

        Assert.Equal("Hello world", Encoding.ASCII.GetString(HopCrypto.Decrypt(key, Convert.FromHexString(blob))!));
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")] // the identity
    [InlineData("0100000000000000000000000000000000000000000000000000000000000000")] // order 1
    [InlineData("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")] // order 8
    public void A_low_order_ephemeral_key_gives_no_hop_key(string ephemeralHex)
    {
        // X25519 with a low-order point is all zeros; the reference refuses it ("Shared key derivation failed").
        Assert.Null(new HopKeyDeriver(SecretB, B).Derive(OnionCipher.XChaCha20Poly1305, Convert.FromHexString(ephemeralHex)));
    }

    [Theory]
    [InlineData(OnionCipher.AesGcm, "1eb6ae1cd72f60999486365759bd5dc15cc0b6a2a44d7d063daa5e93722f0c025fd00306403b61")]
    [InlineData(OnionCipher.AesGcm, "1eb6ae1cd72f60999486365749bd5dc15cc0b6a2a44d7d063daa5e93722f0c025fd00306403b69")]
    [InlineData(OnionCipher.XChaCha20Poly1305, "9e1a3abe60eff3ea5c23556cc7e225b6f94355315f7281f66ecf4dbb06e7899a52b863e03cde3b287d1638d765db75de02b033")]
    [InlineData(OnionCipher.XChaCha20Poly1305, "9e1a3abe60eff3ea5c23556ccfe225b6f94355315f7281f66ecf4dbb06e7899a52b863e03cde3b287d1638d765db75de02b032")]
    [InlineData(OnionCipher.AesGcm, "1eb6ae")]
    public void Tampered_or_truncated_blobs_are_rejected(OnionCipher cipher, string blob)
    {
        var key = new HopKeyDeriver(SecretB, B).Derive(cipher, A)!.Value;

        Assert.Null(HopCrypto.Decrypt(key, Convert.FromHexString(blob)));
    }

    [Theory]
    [InlineData(OnionCipher.AesGcm, "1eb6ae1cd72f60999486365749bd5dc15cc0b6a2a44d7d063daa5e93722f0c025fd00306403b61", true)]
    [InlineData(OnionCipher.XChaCha20Poly1305, "9e1a3abe60eff3ea5c23556cc7e225b6f94355315f7281f66ecf4dbb06e7899a52b863e03cde3b287d1638d765db75de02b032", true)]
    [InlineData(OnionCipher.AesGcm, "1eb6ae1cd72f60999486365759bd5dc15cc0b6a2a44d7d063daa5e93722f0c025fd00306403b61", false)]
    [InlineData(OnionCipher.XChaCha20Poly1305, "9e1a3abe60eff3ea5c23556cc7e225b6f94355315f7281f66ecf4dbb06e7899a52b863e03cde3b287d1638d765db75de02b033", false)]
    [InlineData(OnionCipher.XChaCha20Poly1305, "9e1a", false)]
    public void In_place_decryption_opens_the_reference_blobs_and_rejects_tampering(OnionCipher cipher, string blobHex, bool opens)
    {
        var key = new HopKeyDeriver(SecretB, B).Derive(cipher, A)!.Value;
        var blob = Convert.FromHexString(blobHex);

        var range = HopCrypto.DecryptInPlace(key, blob);

        Assert.Equal(opens, range is not null);
        if (opens)
        {
            Assert.Equal("Hello world", Encoding.ASCII.GetString(blob.AsSpan(range!.Value)));
        }
    }

    [Fact]
    public void In_place_aes_cbc_matches_the_copying_path()
    {
        var key = new HopKeyDeriver(SecretB, B).Derive(OnionCipher.AesCbc, A)!.Value;
        var blob = HopCrypto.Encrypt(key, "legacy layer"u8);

        var range = HopCrypto.DecryptInPlace(key, blob);

        Assert.Equal("legacy layer", Encoding.ASCII.GetString(blob.AsSpan(range!.Value)));
    }

    private static readonly byte[] ParserB = Convert.FromHexString("8388de69bc0d4b6196133233ad9a46ba0473474bc67718aad96a3a33c257f726");
    private static readonly byte[] ParserSecretB = Convert.FromHexString("2f4d1c0d28e137777ec0a316e9f4f763e3e66662a6c51994c6315c9ef34b6deb");

    [Theory]
    [InlineData(OnionCipher.AesGcm, "270000009525d587d188c92a966eef0e7162bef99a6171a124575b998072a8ee7eb265e0b6f0930ed965047b22656e635f74797065223a20226165732d67636d222c2022657068656d6572616c5f6b6579223a202238313637653937363732303035633636396134383835386336393839356633393563613233353231396163336637613432313030323262316639313065363532227d", 12)]
    [InlineData(OnionCipher.XChaCha20Poly1305, "33000000e440bc244ddcafd947b86fc5a964aa58de54a6d75cc0f0f3840db14b6c1176a8e2e0a04d5fbdf98f23adee1edc8362ab99b10b7b22656e635f74797065223a2022786368616368613230222c2022657068656d6572616c5f6b6579223a202238313637653937363732303035633636396134383835386336393839356633393563613233353231396163336637613432313030323262316639313065363532227d", 24)]
    public void Entry_payloads_parse_decrypt_and_the_reply_has_the_reference_size(OnionCipher cipher, string payloadHex, int nonceLength)
    {
        Assert.True(OnionPayload.TryParse(Convert.FromHexString(payloadHex), out var payload, out var error), error);
        Assert.Equal(cipher, payload.Cipher);
        Assert.Equal("8167e97672005c669a48858c69895f395ca235219ac3f7a4210022b1f910e652", Convert.ToHexStringLower(payload.EphemeralKey));

        var deriver = new HopKeyDeriver(ParserSecretB, ParserB);
        var key = deriver.Derive(payload.Cipher, payload.EphemeralKey)!.Value;
        Assert.Equal("Hello world", Encoding.ASCII.GetString(HopCrypto.Decrypt(key, payload.Ciphertext.Span)!));

        var reply = HopCrypto.Encrypt(key, "Goodbye world"u8);
        Assert.Equal(nonceLength + 13 + 16, reply.Length);
        Assert.Equal(1, deriver.ScalarMultiplications);
    }

    [Fact]
    public void Overheads_match_the_reference_for_19_bytes()
    {
        var alicePub = Convert.FromHexString("01c7391664840b2ef7126b3709dbac178ba5f3ef2335a62343d5df7da4a11c30");
        var bobSecret = Convert.FromHexString("f512f68e81a932aa2ff6d8723baa260a43a6f789d61c91b71f73e4f284e3600a");
        var bobPub = Convert.FromHexString("f7b99da2e25e3c399902641c707ae20ad72b63ed0cc487730ff0b3bcecf18609");
        var deriver = new HopKeyDeriver(bobSecret, bobPub);
        var message = new byte[19];

        Assert.Equal(19 + 28, HopCrypto.Encrypt(deriver.Derive(OnionCipher.AesGcm, alicePub)!.Value, message).Length);
        Assert.Equal(19 + 40, HopCrypto.Encrypt(deriver.Derive(OnionCipher.XChaCha20Poly1305, alicePub)!.Value, message).Length);
        Assert.Equal(19 + 29, HopCrypto.Encrypt(deriver.Derive(OnionCipher.AesCbc, alicePub)!.Value, message).Length);
    }

    [Theory]
    [InlineData(OnionCipher.AesGcm)]
    [InlineData(OnionCipher.XChaCha20Poly1305)]
    [InlineData(OnionCipher.AesCbc)]
    public void Client_and_server_derive_the_same_key(OnionCipher cipher)
    {
        var alicePub = Convert.FromHexString("01c7391664840b2ef7126b3709dbac178ba5f3ef2335a62343d5df7da4a11c30");
        var aliceSecret = Convert.FromHexString("7d446468c186d6fb3c83365ab77a37b1f9fa3e59eb9788a40ae2e9560f196f30");
        var bobSecret = Convert.FromHexString("f512f68e81a932aa2ff6d8723baa260a43a6f789d61c91b71f73e4f284e3600a");
        var bobPub = Convert.FromHexString("f7b99da2e25e3c399902641c707ae20ad72b63ed0cc487730ff0b3bcecf18609");
        var server = new HopKeyDeriver(bobSecret, bobPub).Derive(cipher, alicePub)!.Value;
        var client = HopKey.Derive(cipher, Sodium.ScalarMult.Mult(aliceSecret, bobPub), alicePub, bobPub);

        Assert.Equal("secret", Encoding.ASCII.GetString(HopCrypto.Decrypt(server, HopCrypto.Encrypt(client, "secret"u8))!));
    }
}
