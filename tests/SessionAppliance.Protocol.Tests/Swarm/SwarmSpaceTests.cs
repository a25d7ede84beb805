using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Swarm;

namespace SessionAppliance.Protocol.Tests.Swarm;

public class SwarmSpaceTests
{
    // Spec §10, session-storage-server unit_test/swarm.cpp.
    [Theory]
    [InlineData("053506f4a71324b7dd114eddbf4e311f39dde243e1f2cb97c40db1961f70ebaae8", 17589930838143112648UL)]
    [InlineData("05cf27da303a50ac8c4b2d43d27259505c9bcd73fc21cf2a57902c3d050730b604", 10370619079776428163UL)]
    [InlineData("03d3511706b8b34f6e8411bf07bd22ba6b2435ca56846fbccf6eb1e166a6cd15cc", 2144983569669512198UL)]
    [InlineData("ff0f06693428fca9102a451e3f28d9cc743d8ea60a89ab6aa69eb119470c11cbd3", 9690840703409570833UL)]
    [InlineData("05ffba630924aa1224bb930dde21c0d11bf004608f2812217f8ac812d6c7e3ad48", 4532060000165252872UL)]
    [InlineData("05eeeeeeeeeeeeeeee777777777777777711111111111111118888888888888888", 0UL)]
    [InlineData("050123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 0UL)]
    [InlineData("05fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe", 1UL)]
    [InlineData("05ffffffffffffffffffffffffffffffffffffffffffffffff7fffffffffffffff", 9223372036854775808UL)]
    [InlineData("05000000000000000000000000000000000000000000000000ffffffffffffffff", 18446744073709551615UL)]
    [InlineData("050000000000000000000000000000000000000000000000000123456789abcdef", 81985529216486895UL)]
    public void Position_is_the_xor_of_four_big_endian_words(string pubkey, ulong expected) =>
        Assert.Equal(expected, SwarmSpace.PositionOf(AccountId.Parse(pubkey)));

    private static readonly ulong[] Swarms = [100, 200, 300, 399, 498, 596, 694];

    [Theory]
    [InlineData("64", 100UL)]
    [InlineData("c8", 200UL)]
    [InlineData("01f2", 498UL)]
    [InlineData("00", 100UL)]
    [InlineData("01", 100UL)]
    [InlineData("8000000000000000", 694UL)]
    [InlineData("a000000000000000", 100UL)]
    [InlineData("ffffffffffffffff", 100UL)]
    [InlineData("fffffffffffffffe", 100UL)]
    [InlineData("95", 100UL)]
    [InlineData("96", 100UL)]
    [InlineData("97", 200UL)]
    [InlineData("f9", 200UL)]
    [InlineData("fa", 200UL)]
    [InlineData("fb", 300UL)]
    [InlineData("015d", 300UL)]
    [InlineData("015e", 399UL)]
    [InlineData("01c0", 399UL)]
    [InlineData("01c1", 498UL)]
    [InlineData("0222", 498UL)]
    [InlineData("0223", 498UL)]
    [InlineData("0224", 596UL)]
    [InlineData("0285", 596UL)]
    [InlineData("0286", 694UL)]
    [InlineData("800000000000018c", 694UL)]
    [InlineData("800000000000018d", 694UL)]
    [InlineData("800000000000018e", 100UL)]
    public void Nearest_swarm_matches_the_reference_cases(string tail, ulong expected) =>
        Assert.Equal(expected, SwarmSpace.NearestSwarm(PositionOfTail(tail), Swarms));

    [Theory]
    [InlineData("27", ulong.MaxValue - 19)]
    [InlineData("28", ulong.MaxValue - 19)]
    [InlineData("29", 100UL)]
    public void Nearest_swarm_wraps_around_the_ring(string tail, ulong expected) =>
        Assert.Equal(expected, SwarmSpace.NearestSwarm(PositionOfTail(tail), [.. Swarms, ulong.MaxValue - 19]));

    [Theory]
    [InlineData("ffffffffffffffff")]
    [InlineData("fffffffffffffffe")]
    public void Swarm_zero_takes_the_top_of_the_ring(string tail) =>
        Assert.Equal(0UL, SwarmSpace.NearestSwarm(PositionOfTail(tail), [0, .. Swarms, ulong.MaxValue - 19]));

    [Fact]
    public void One_swarm_owns_everything_and_no_swarm_is_the_invalid_id()
    {
        Assert.Equal(42UL, SwarmSpace.NearestSwarm(123456789, [42]));
        Assert.Equal(SwarmSpace.InvalidSwarmId, SwarmSpace.NearestSwarm(5, []));
    }

    private static ulong PositionOfTail(string tail) =>
        SwarmSpace.PositionOf(AccountId.Parse("05" + tail.PadLeft(64, '0')));
}
