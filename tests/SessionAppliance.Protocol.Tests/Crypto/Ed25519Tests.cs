using SessionAppliance.Protocol.Crypto;

namespace SessionAppliance.Protocol.Tests.Crypto;

public class Ed25519Tests
{
    // Spec §10, libsession-util tests/test_curve25519.cpp and tests/test_ed25519.cpp.
    [Theory]
    [InlineData("4cb76fdc6d32278e3f83dbf608360ecc6b65727934b85d2fb86862ff98c46ab7", "d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72")]
    [InlineData("5ea34e72bb044654a6a23675690ef5ffaaf1656b02f93fb76655f9cbdbe89876", "aa654f00fc39fc69fd0db829410ca38177d7732a8d2f0934ab3872ac56d5aa74")]
    public void Public_key_conversion_matches_libsession(string ed, string x)
    {
        Assert.True(Ed25519.TryToX25519PublicKey(Convert.FromHexString(ed), out var converted));
        Assert.Equal(x, Convert.ToHexStringLower(converted));
    }

    [Theory]
    [InlineData("4cb76fdc6d32278e3f83dbf608360ecc6b65727934b85d2fb86862ff98c46ab78862834829a87e0afadfed763fa8785e893dbde7f2c001ff1071aa55005c347f", "207e5d97e761300f96c10adc11efdd6d5c15188a9a7682ec05b30ca017e9b447")]
    [InlineData("5ea34e72bb044654a6a23675690ef5ffaaf1656b02f93fb76655f9cbdbe89876cd83ca3d13ad8a954d5011aa7861abe3a29ac25b70c4ed5234aff74d34ef5786", "904943eff27142a8e5cd37c84e2437c9979a560b044bf9a65a8d644b325fe56a")]
    public void Secret_key_conversion_matches_libsession(string ed, string x) =>
        Assert.Equal(x, Convert.ToHexStringLower(Ed25519.ToX25519SecretKey(Convert.FromHexString(ed))));

    [Theory]
    [InlineData("4cb76fdc6d32278e3f83dbf608360ecc6b65727934b85d2fb86862ff98c46ab7", "8862834829a87e0afadfed763fa8785e893dbde7f2c001ff1071aa55005c347f")]
    [InlineData("5ea34e72bb044654a6a23675690ef5ffaaf1656b02f93fb76655f9cbdbe89876", "cd83ca3d13ad8a954d5011aa7861abe3a29ac25b70c4ed5234aff74d34ef5786")]
    public void Seed_gives_the_libsession_public_key(string seed, string publicKey) =>
        Assert.Equal(publicKey, Convert.ToHexStringLower(Ed25519.FromSeed(Convert.FromHexString(seed)).PublicKey));

    [Fact]
    public void Signature_matches_libsession_and_verifies()
    {
        var keys = Ed25519.FromSeed(Convert.FromHexString("4cb76fdc6d32278e3f83dbf608360ecc6b65727934b85d2fb86862ff98c46ab7"));
        var signature = Ed25519.Sign("hello"u8, keys);

        Assert.Equal("e03b6e87a53d83f202f2501e9b52193dbe4a64c6503f88244948dee5327185011574589aa7b59bc9757f9b9c31b7be9c9212b92ac7c81e029ee21c338ee12405", Convert.ToHexStringLower(signature));
        Assert.True(Ed25519.Verify(signature, "hello"u8, keys.PublicKey));
        Assert.False(Ed25519.Verify(signature, "hellO"u8, keys.PublicKey));
        Assert.False(Ed25519.Verify(signature.AsSpan(1), "hello"u8, keys.PublicKey));
    }

    [Fact]
    public void Node_keys_derive_the_x25519_pair_from_the_ed25519_seed()
    {
        var keys = NodeKeys.FromSeed(Convert.FromHexString("4cb76fdc6d32278e3f83dbf608360ecc6b65727934b85d2fb86862ff98c46ab7"));

        Assert.Equal("8862834829a87e0afadfed763fa8785e893dbde7f2c001ff1071aa55005c347f", keys.Ed25519Hex);
        Assert.Equal("207e5d97e761300f96c10adc11efdd6d5c15188a9a7682ec05b30ca017e9b447", Convert.ToHexStringLower(keys.X25519SecretKey));
        Assert.Equal(Convert.ToHexStringLower(Sodium.ScalarMult.Base(keys.X25519SecretKey)), keys.X25519Hex);
    }
}
