using System.Device.Gpio;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SessionAppliance.Status.Button;
using SessionAppliance.Status.Hosting;
using SessionAppliance.Status.Leds;
using SessionAppliance.Status.Model;

namespace SessionAppliance.Status.Tests.Support;

/// <summary>
/// A status engine on a fake GPIO driver and a fake clock, wired as on a Pi with the default pins:
/// LED on GPIO17, button on GPIO3 to ground (pressed reads low).
/// </summary>
public sealed class Bench : IDisposable
{
    public const int LedPin = 17;
    public const int ButtonPin = 3;

    public Bench()
    {
        var controller = new GpioController(Gpio);
        var options = new StatusOptions { BoardLeds = [] };
        var (outputs, button) = StatusHardware.Open(options, () => controller, "/nonexistent", NullLogger.Instance);
        Engine = new StatusEngine(outputs, button, Actions, new ButtonTimings(), options.NodeTimeout, options.BootGrace, Clock, NullLogger.Instance);
    }

    public FakeGpioDriver Gpio { get; } = new();

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    public RecordingSystemActions Actions { get; } = new();

    public StatusEngine Engine { get; }

    public bool LedLit => Gpio.ValueOf(LedPin) == PinValue.High;

    /// <summary>While set, the node answers with this report at every tick; null means the node is silent.</summary>
    public NodeReport? NodeAnswers { get; set; }

    public void Healthy() => NodeAnswers = new NodeReport(true, [], []);

    /// <summary>Advances time in 10 ms ticks, as the worker does, recording whether the LED was lit at each.</summary>
    public List<bool> Run(TimeSpan duration)
    {
        var samples = new List<bool>();
        for (var t = TimeSpan.Zero; t < duration; t += Tick)
        {
            if (NodeAnswers is { } report)
            {
                Engine.NodeAnswered(report);
            }

            Engine.Tick();
            samples.Add(LedLit);
            Clock.Advance(Tick);
        }

        return samples;
    }

    public void Press() => Gpio.SetInput(ButtonPin, PinValue.Low);

    public void Release() => Gpio.SetInput(ButtonPin, PinValue.High);

    /// <summary>Holds the button for <paramref name="duration"/>, then releases it and lets the debounce settle.</summary>
    public void Hold(TimeSpan duration)
    {
        Press();
        Run(duration);
        Release();
        Run(TimeSpan.FromMilliseconds(100));
    }

    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);

    public void Dispose() => Engine.Dispose();
}
