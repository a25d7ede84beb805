namespace SessionAppliance.Status.Button;

/// <summary>What the operator did with the button.</summary>
public enum ButtonGesture
{
    None,

    /// <summary>Released before 3 s: spell the current state.</summary>
    ShortPress,

    /// <summary>Released between 3 s and 10 s: shut the board down cleanly.</summary>
    Shutdown,

    /// <summary>Released after 10 s: waiting for a confirming press before a factory reset.</summary>
    ResetArmed,

    /// <summary>The confirming press came in time: factory reset.</summary>
    ResetConfirmed,

    /// <summary>No confirming press in time: nothing happens.</summary>
    ResetCancelled,

    /// <summary>A second short press soon after the first: open the console's pairing window.</summary>
    DoublePress,
}

/// <summary>Feedback while the button is held or a reset awaits confirmation.</summary>
public enum HoldFeedback
{
    None,
    ShutdownArmed,
    ResetArmed,
}
