using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SessionAppliance.Status.Board;
using SessionAppliance.Status.Button;
using SessionAppliance.Status.Hosting;
using SessionAppliance.Status.NodeHealth;
using SessionAppliance.Status.Tests.Support;

namespace SessionAppliance.Status.Tests;

public class HardwareTests
{
    [Fact]
    public void Without_any_gpio_the_board_led_is_still_driven_and_its_trigger_restored_afterwards()
    {
        var leds = Directory.CreateTempSubdirectory("sa-leds-").FullName;
        var act = Directory.CreateDirectory(Path.Combine(leds, "ACT")).FullName;
        File.WriteAllText(Path.Combine(act, "trigger"), "none [mmc0] timer heartbeat");
        File.WriteAllText(Path.Combine(act, "brightness"), "0");
        File.WriteAllText(Path.Combine(act, "max_brightness"), "255");

        var (outputs, button) = StatusHardware.Open(new StatusOptions(), () => null, leds, NullLogger.Instance);
        var clock = new FakeTimeProvider();
        var engine = new StatusEngine(outputs, button, new RecordingSystemActions(), new ButtonTimings(), TimeSpan.FromSeconds(6), TimeSpan.FromMinutes(3), clock, NullLogger.Instance);
        var lit = new HashSet<string>();
        for (var i = 0; i < 40; i++)
        {
            engine.Tick();
            lit.Add(File.ReadAllText(Path.Combine(act, "brightness")));
            clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.Null(button);
        Assert.Single(outputs);
        Assert.Equal(["0", "255"], lit.Order());
        engine.Dispose();
        Assert.Equal("mmc0", File.ReadAllText(Path.Combine(act, "trigger")));
    }

    [Fact]
    public void Board_sensors_are_read_from_sysfs_and_missing_ones_are_unknown()
    {
        var root = Directory.CreateTempSubdirectory("sa-board-").FullName;
        Assert.Equal(new Model.BoardReport(null, null, null, null), new BoardHealthReader(root).Read());

        Directory.CreateDirectory(Path.Combine(root, "sys/class/thermal/thermal_zone0"));
        File.WriteAllText(Path.Combine(root, "sys/class/thermal/thermal_zone0/temp"), "81234\n");
        Directory.CreateDirectory(Path.Combine(root, "sys/devices/platform/soc/soc:firmware"));
        File.WriteAllText(Path.Combine(root, "sys/devices/platform/soc/soc:firmware/get_throttled"), "50005\n");
        Directory.CreateDirectory(Path.Combine(root, "run/systemd/timesync"));

        var report = new BoardHealthReader(root).Read();

        Assert.Equal(81.234, report.CpuCelsius!.Value, 3);
        Assert.True(report.Throttled);
        Assert.True(report.UnderVoltage);
        Assert.False(report.ClockSynchronised);
    }

    [Theory]
    [InlineData("""{"ready":true,"not_ready":[],"degraded":["x"]}""", true)]
    [InlineData("""{"ready":"yes"}""", false)]
    [InlineData("""[]""", false)]
    public void Node_health_answers_are_parsed_and_garbage_is_no_answer(string json, bool parsed) =>
        Assert.Equal(parsed, NodeHealthClient.Parse(System.Text.Json.JsonDocument.Parse(json).RootElement) is not null);

    [Fact]
    public void Identify_lasts_for_its_duration_after_the_request_file_is_touched()
    {
        var run = Directory.CreateTempSubdirectory("sa-run-").FullName;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var reader = new OperatorRequestReader(run, TimeSpan.FromSeconds(30), clock);
        Assert.False(reader.Read().Identify);

        File.WriteAllText(Path.Combine(run, "identify"), "");
        Assert.True(reader.Read().Identify);
        clock.Advance(TimeSpan.FromSeconds(31));

        Assert.False(reader.Read().Identify);
    }
}
