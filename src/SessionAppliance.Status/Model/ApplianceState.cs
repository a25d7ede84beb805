namespace SessionAppliance.Status.Model;

/// <summary>
/// What the LED can show. The numeric value is the priority: when several hold, the lowest number wins
/// (<see cref="StatePriority"/>). The blink count used when a short press spells the state is in <see cref="StateDisplay"/>.
/// </summary>
public enum ApplianceState
{
    ShuttingDown = 0,
    Identify = 1,
    UpdateInProgress = 2,
    Error = 3,
    Booting = 4,
    Starting = 5,
    NotReady = 6,
    Degraded = 7,
    Healthy = 8,
}
