namespace SessionAppliance.Status.Model;

/// <summary>
/// How each state looks: the blink pattern (single LED and board LED), the colour (RGB LED) and the count a
/// short press spells. hardware/led-patterns.svg shows the same table as a picture.
/// </summary>
public static class StateDisplay
{
    private static readonly Dictionary<ApplianceState, (LedPattern Pattern, LedColor Color, int Count)> Table = new()
    {
        [ApplianceState.Healthy] = (new((true, 2900), (false, 100)), LedColor.Green, 1),
        [ApplianceState.Degraded] = (new((true, 200), (false, 200), (true, 200), (false, 1400)), LedColor.Yellow, 2),
        [ApplianceState.NotReady] = (new((true, 1000), (false, 1000)), LedColor.Blue, 3),
        [ApplianceState.Error] = (new((true, 150), (false, 150), (true, 150), (false, 150), (true, 150), (false, 1250)), LedColor.Red, 4),
        [ApplianceState.Starting] = (new((true, 250), (false, 250)), LedColor.Cyan, 5),
        [ApplianceState.Booting] = (new((true, 100), (false, 100)), LedColor.White, 6),
        [ApplianceState.UpdateInProgress] = (new((true, 50), (false, 950)), LedColor.Magenta, 7),
        [ApplianceState.Identify] = (new((true, 50), (false, 50)), LedColor.White, 8),
        [ApplianceState.ShuttingDown] = (new((true, 100), (false, 1900)), LedColor.Red, 9),
        [ApplianceState.Pairing] = (new((true, 600), (false, 200), (true, 100), (false, 200)), LedColor.Blue, 10),
    };

    /// <summary>Shown while the button has been held past 3 s: release now to shut down.</summary>
    public static readonly LedPattern ShutdownArmed = new((true, 1000), (false, 100));

    /// <summary>Shown while held past 10 s, and while waiting for the confirming press: unlike any state.</summary>
    public static readonly LedPattern ResetArmed = new((true, 500), (false, 100), (true, 100), (false, 100));

    /// <summary>The state in the words the light's chart, the console and the CLI use.</summary>
    public static string NameOf(ApplianceState state) => state switch
    {
        ApplianceState.ShuttingDown => "shutting down",
        ApplianceState.Identify => "identify",
        ApplianceState.Pairing => "pairing (console)",
        ApplianceState.UpdateInProgress => "update in progress",
        ApplianceState.Error => "error (node down)",
        ApplianceState.Booting => "booting",
        ApplianceState.Starting => "starting",
        ApplianceState.NotReady => "not ready",
        ApplianceState.Degraded => "degraded",
        _ => "healthy",
    };

    public static LedPattern PatternOf(ApplianceState state) => Table[state].Pattern;

    public static LedColor ColorOf(ApplianceState state) => Table[state].Color;

    public static int BlinkCountOf(ApplianceState state) => Table[state].Count;
}
