using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Protocol.Tests.Rpc;

public class RetrieveLimitsTests
{
    [Theory]
    [InlineData(0, 0, int.MaxValue, 1_560_000)]
    [InlineData(0, -1, int.MaxValue, 7_800_000)]
    [InlineData(0, -4, int.MaxValue, 1_950_000)]
    [InlineData(0, 20_000_000, int.MaxValue, 7_800_000)]
    [InlineData(0, 5_000, int.MaxValue, 5_000)]
    [InlineData(10, 0, 10, 7_800_000)]
    [InlineData(-3, 0, int.MaxValue, 7_800_000)]
    public void Limits_follow_the_reference_rules(long maxCount, long maxSize, int count, long bytes)
    {
        var limits = RetrieveLimits.FromRequest(maxCount, maxSize);

        Assert.Equal(count, limits.MaxCount);
        Assert.Equal(bytes, limits.MaxBytes);
    }

    [Fact]
    public void Cost_is_100_plus_hash_plus_four_thirds_of_the_data_rounded_down() =>
        Assert.Equal(100 + 43 + 1333, RetrieveLimits.CostOf(43, 1000));
}
