using SessionAppliance.Node.Hosting;

namespace SessionAppliance.Node.Tests.Hosting;

/// <summary>When the node gives memory back: only when quiet, and only when there is enough to give.</summary>
public sealed class IdleMemoryTrimTests
{
    [Theory]
    [InlineData(0, 120, 60, true)]
    [InlineData(29, 120, 60, true)]
    [InlineData(30, 120, 60, false)] // a request a second is not quiet: a collection would make someone wait
    [InlineData(5_000, 120, 60, false)]
    [InlineData(0, 70, 60, false)] // 10 MiB of slack is not worth a full collection
    [InlineData(0, 76, 60, true)]
    public void It_trims_when_quiet_with_much_more_committed_than_in_use(long requests, long committedMiB, long heapMiB, bool expected) =>
        Assert.Equal(expected, IdleMemoryTrim.ShouldTrim(requests, committedMiB << 20, heapMiB << 20));
}
