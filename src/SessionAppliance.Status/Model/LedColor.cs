namespace SessionAppliance.Status.Model;

/// <summary>A colour for an RGB LED; a single LED only uses on/off.</summary>
public readonly record struct LedColor(byte R, byte G, byte B)
{
    public static readonly LedColor Off = new(0, 0, 0);
    public static readonly LedColor Green = new(0, 255, 0);
    public static readonly LedColor Yellow = new(255, 160, 0);
    public static readonly LedColor Blue = new(0, 0, 255);
    public static readonly LedColor Cyan = new(0, 255, 255);
    public static readonly LedColor White = new(255, 255, 255);
    public static readonly LedColor Red = new(255, 0, 0);
    public static readonly LedColor Magenta = new(255, 0, 255);
}

/// <summary>What the outputs show at one instant.</summary>
public readonly record struct LedFrame(bool On, LedColor Color)
{
    public static readonly LedFrame Dark = new(false, LedColor.Off);
}
