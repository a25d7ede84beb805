using System.Device.Gpio;

namespace SessionAppliance.Status.Tests.Support;

/// <summary>GPIO pins in memory: tests set input levels and read what outputs were driven to.</summary>
public sealed class FakeGpioDriver : GpioDriver
{
    private readonly Dictionary<int, PinValue> _values = [];
    private readonly Dictionary<int, PinMode> _modes = [];

    public List<(int Pin, PinValue Value)> Writes { get; } = [];

    /// <summary>How many lines the chip has; opening one beyond fails as libgpiod does.</summary>
    public int Lines { get; init; } = 54;

    protected override int PinCount => Lines;

    public void SetInput(int pin, PinValue value) => _values[pin] = value;

    public PinValue ValueOf(int pin) => _values.GetValueOrDefault(pin, PinValue.Low);

    protected override void OpenPin(int pinNumber)
    {
        if (pinNumber >= Lines)
        {
            throw new IOException($"Pin {pinNumber} is not available on this {Lines}-line chip");
        }

        _values.TryAdd(pinNumber, PinValue.Low);
    }

    protected override void ClosePin(int pinNumber) => _modes.Remove(pinNumber);

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        _modes[pinNumber] = mode;
        if (mode == PinMode.InputPullUp)
        {
            _values[pinNumber] = PinValue.High;
        }
    }

    protected override PinMode GetPinMode(int pinNumber) => _modes.GetValueOrDefault(pinNumber, PinMode.Input);

    /// <summary>Modes the chip cannot set, e.g. a pull-up on a chip without bias support.</summary>
    public HashSet<PinMode> UnsupportedModes { get; init; } = [];

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => !UnsupportedModes.Contains(mode);

    protected override PinValue Read(int pinNumber) => _values.GetValueOrDefault(pinNumber, PinValue.Low);

    protected override void Write(int pinNumber, PinValue value)
    {
        _values[pinNumber] = value;
        Writes.Add((pinNumber, value));
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the status service samples the button; it never waits for edges");

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) =>
        throw new NotSupportedException("the status service samples the button; it never registers callbacks");

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback) =>
        throw new NotSupportedException("the status service samples the button; it never registers callbacks");
}
