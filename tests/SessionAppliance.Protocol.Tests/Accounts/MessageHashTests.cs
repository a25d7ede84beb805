using SessionAppliance.Protocol.Accounts;

namespace SessionAppliance.Protocol.Tests.Accounts;

public class MessageHashTests
{
    // Spec §10, session-storage-server unit_test/service_node.cpp.
    private const string VectorData = "CAES1gIKA1BVVBIPL2FwaS92MS9tZXNzYWdlGrsCCAYovfqZv4YvQq8CVwutUBbhRzZw80TvR6uTYMKg9DSagrtpeEpY31L7VxawfS8aSya0SiDa4J025SkjP13YX8g5pxgQ8Z6hgfNArMqr/tSijJ9miVKVDJ63YWE85O8kyWF8tdtZR5j0Vxb+JH5U8Rg1bp7ftKk3OSf7JJMcrUUrDnctQHe540zJ2OTDJ03DfubkX5NmKqEu5nhXGxeeDv3mTiL63fjtCvZYcikfjf6Nh1AX++HTgJ9SGoEIMastGUorFrmmXb2sbjHxNiJn0Radj/VzcA9VxYwBW5+AbGQ2d9+vvm7X+8vh+jIenJfjxf+8CWER+9adNfb4YUH07I+godNCV0O0J05gzqfKdT7J8MBZzFBtKrbk8oCagPpTsq/wZyYFKFKKD+q+zh704dYBILvs5yXUA96pIAA=";

    private static readonly AccountId VectorOwner = AccountId.Parse("05ffba630924aa1224bb930dde21c0d11bf004608f2812217f8ac812d6c7e3ad48");

    [Fact]
    public void Hash_matches_the_reference_vector()
    {
        var hash = MessageHash.Compute(VectorOwner, 0, Convert.FromBase64String(VectorData));

        Assert.Equal("4sMyAuaZlMwww3oFvfhazfw7ASx/7TDtO+TVc8aAjHs", hash);
        Assert.Equal(MessageHash.TextLength, hash.Length);
    }

    [Fact]
    public void Namespace_changes_the_hash_and_zero_is_the_same_as_no_namespace_text()
    {
        var data = Convert.FromBase64String(VectorData);

        Assert.NotEqual(MessageHash.Compute(VectorOwner, 0, data), MessageHash.Compute(VectorOwner, 5, data));
        Assert.NotEqual(MessageHash.Compute(VectorOwner, -5, data), MessageHash.Compute(VectorOwner, 5, data));
    }

    [Theory]
    [InlineData("4sMyAuaZlMwww3oFvfhazfw7ASx/7TDtO+TVc8aAjHs", true)]
    [InlineData("4sMyAuaZlMwww3oFvfhazfw7ASx/7TDtO+TVc8aAjHs=", false)]
    [InlineData("4sMyAuaZlMwww3oFvfhazfw7ASx/7TDtO+TVc8aAjH", false)]
    [InlineData("4sMyAuaZlMwww3oFvfhazfw7ASx/7TDtO+TVc8aAj!s", false)]
    public void Well_formed_hashes_are_43_base64_characters(string text, bool expected) =>
        Assert.Equal(expected, MessageHash.IsWellFormed(text));
}
