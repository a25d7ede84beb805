using SessionAppliance.Status.Model;

namespace SessionAppliance.Status.Leds;

/// <summary>One physical indicator. <see cref="Show"/> is called on every tick; implementations touch hardware only on change.</summary>
public interface ILedOutput : IDisposable
{
    string Name { get; }

    void Show(LedFrame frame);
}
