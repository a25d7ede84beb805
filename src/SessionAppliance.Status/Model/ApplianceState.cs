namespace SessionAppliance.Status.Model;

/// <summary>
/// What the LED can show. The numeric value is the priority: when several hold, the lowest number wins
/// (<see cref="StatePriority"/>). The blink count used when a short press spells the state is in <see cref="StateDisplay"/>.
/// </summary>
public enum ApplianceState
{
    ShuttingDown = 0,
    Identify = 1,
    Pairing = 2,
    UpdateInProgress = 3,
    Error = 4,
    Booting = 5,
    Starting = 6,
    NotReady = 7,
    Degraded = 8,
    Healthy = 9,
}
