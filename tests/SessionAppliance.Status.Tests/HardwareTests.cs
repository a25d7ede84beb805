using System.Device.Gpio;
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
    public void Pins_the_chip_does_not_have_are_skipped_and_the_rest_still_works()
    {
        // QEMU's virt machine has an 8-line chip: the default LED pin 17 is not on it, nor is a button on 27.
        using var controller = new GpioController(new FakeGpioDriver { Lines = 8 });
        var options = new StatusOptions { BoardLeds = [], ButtonPin = 27, RgbRedPin = 5, RgbGreenPin = 6, RgbBluePin = 7 };

        var (outputs, button) = StatusHardware.Open(options, () => controller, "/nonexistent", NullLogger.Instance);

        Assert.Null(button);
        Assert.Equal(["RGB LED on GPIO5/6/7"], outputs.Select(o => o.Name));
    }

    [Fact]
    public void A_button_pin_without_an_internal_pull_is_refused_with_the_wiring_fix_unless_the_pull_is_external()
    {
        using var controller = new GpioController(new FakeGpioDriver { UnsupportedModes = [PinMode.InputPullUp] });

        var error = Assert.Throws<InvalidOperationException>(() => new GpioButton(controller, 3, activeLow: true));
        Assert.Contains("10 kΩ resistor from GPIO3 to 3.3 V", error.Message, StringComparison.Ordinal);
        Assert.Contains("Status:ButtonExternalPull=true", error.Message, StringComparison.Ordinal);

        var options = new StatusOptions { BoardLeds = [], LedPin = -1, ButtonPin = 3 };
        Assert.Null(StatusHardware.Open(options, () => controller, "/nonexistent", NullLogger.Instance).Button);

        using var wired = new GpioButton(controller, 3, activeLow: true, externalPull: true);
        Assert.Equal(PinMode.Input, controller.GetPinMode(3));
    }

    [Fact]
    public void Settings_errors_left_by_the_image_import_keep_the_light_degraded_with_the_reason()
    {
        var run = Directory.CreateTempSubdirectory("sa-run-").FullName;
        var reader = new OperatorRequestReader(run, TimeSpan.FromSeconds(30), new FakeTimeProvider(DateTimeOffset.UtcNow));
        File.WriteAllText(Path.Combine(run, "settings-errors"), "");
        Assert.False(reader.Read().SettingsErrors);

        File.WriteAllText(Path.Combine(run, "settings-errors"), "line 4: https_port: not a port number\n");
        var inputs = new Model.StatusInputs(Model.NodeContact.Answering, new Model.NodeReport(true, [], []), new Model.BoardReport(null, null, null, null), reader.Read(), false);

        var (state, reason) = Model.StatePriority.Holding(inputs)[0];
        Assert.Equal(Model.ApplianceState.Degraded, state);
        Assert.Contains("session-appliance-results.txt", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refused_update_keeps_the_light_degraded_with_the_agents_reason_until_the_file_goes()
    {
        var run = Directory.CreateTempSubdirectory("sa-run-").FullName;
        var reader = new OperatorRequestReader(run, TimeSpan.FromSeconds(30), new FakeTimeProvider(DateTimeOffset.UtcNow));
        Model.StatusInputs Inputs() => new(Model.NodeContact.Answering, new Model.NodeReport(true, [], []), new Model.BoardReport(null, null, null, null), reader.Read(), false);
        Assert.Equal(Model.ApplianceState.Healthy, Model.StatePriority.Choose(Inputs()));

        File.WriteAllText(Path.Combine(run, "update-refused"), "the update manifest is not signed by a key this board trusts\n");
        var (state, reason) = Model.StatePriority.Holding(Inputs())[0];
        Assert.Equal(Model.ApplianceState.Degraded, state);
        Assert.Equal("update refused: the update manifest is not signed by a key this board trusts", reason);

        File.Delete(Path.Combine(run, "update-refused"));
        Assert.Equal(Model.ApplianceState.Healthy, Model.StatePriority.Choose(Inputs()));
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
