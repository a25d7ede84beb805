using SessionAppliance.Status.Console;

namespace SessionAppliance.Status.Tests.Console;

public class ConsoleHistoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A busy day: a point a minute with every total growing irregularly.</summary>
    private static ConsoleHistory Filled(int minutes)
    {
        var history = new ConsoleHistory();
        var random = new Random(7);
        long messages = 0, stores = 0, bytes = 0;
        for (var i = 0; i < minutes; i++)
        {
            messages += random.Next(0, 600);
            stores += random.Next(0, 600);
            bytes += random.Next(0, 50_000_000);
            var time = Start.AddMinutes(i);
            history.Add(new HistoryPoint(time.ToUnixTimeSeconds(), messages, messages * 1100, bytes / 2, bytes / 2, bytes, stores, stores * 3, 40 * i, 900 * i, 12 * i),
                DateOnly.FromDateTime(time.UtcDateTime));
        }

        return history;
    }

    [Fact]
    public void It_keeps_24_hours_of_samples_and_90_days_of_daily_points()
    {
        var history = Filled(100 * 24 * 60);

        Assert.Equal(ConsoleHistory.RecentCapacity, history.Recent().Count);
        Assert.Equal(ConsoleHistory.DailyCapacity, history.Daily().Count);
        Assert.Equal(Start.AddMinutes((100 * 24 * 60) - 1).ToUnixTimeSeconds(), history.Recent()[^1].UnixSeconds);
        // A day's point is its last sample.
        Assert.Equal(Start.AddDays(41).AddMinutes(-1).ToUnixTimeSeconds(), history.Daily().Single(d => d.Day == new DateOnly(2027, 1, 10)).Point.UnixSeconds);
    }

    [Fact]
    public void A_saved_history_loads_back_identical()
    {
        var history = Filled(3 * 24 * 60);
        using var file = new MemoryStream();
        history.Save(file);
        file.Position = 0;

        var loaded = ConsoleHistory.Load(file);

        Assert.Equal(history.Recent(), loaded.Recent());
        Assert.Equal(history.Daily(), loaded.Daily());
    }

    [Fact]
    public void A_full_history_saves_in_under_64_kB_so_hourly_saves_cost_the_card_little()
    {
        var history = Filled(ConsoleHistory.RecentCapacity + (89 * 24 * 60));
        using var file = new MemoryStream();

        var written = history.Save(file);

        Assert.Equal(file.Length, written);
        Assert.InRange(written, 1, 64 * 1024);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 })]
    public void A_damaged_file_gives_an_empty_history(byte[] content)
    {
        var loaded = ConsoleHistory.Load(new MemoryStream(content));

        Assert.Empty(loaded.Recent());
        Assert.Empty(loaded.Daily());
    }

    [Fact]
    public void A_truncated_file_gives_an_empty_history()
    {
        using var file = new MemoryStream();
        Filled(600).Save(file);

        var loaded = ConsoleHistory.Load(new MemoryStream(file.ToArray()[..(int)(file.Length / 2)]));

        Assert.Empty(loaded.Recent());
    }
}
