namespace SessionAppliance.Status.Model;

/// <summary>
/// Chooses the one state the LED shows from everything that holds now. The order is the enum's order, which
/// hardware/README.md repeats as a table: shutting down, identify, pairing, update, error, booting, starting,
/// not ready, degraded, healthy.
/// </summary>
public static class StatePriority
{
    public const double HotCelsius = 80.0;

    /// <summary>All states that hold, with the reasons, most important first.</summary>
    public static IReadOnlyList<(ApplianceState State, string Reason)> Holding(StatusInputs inputs)
    {
        var holding = new List<(ApplianceState, string)>();
        if (inputs.ShuttingDown)
        {
            holding.Add((ApplianceState.ShuttingDown, "shutting down"));
        }

        if (inputs.Requests.Identify)
        {
            holding.Add((ApplianceState.Identify, "identify requested"));
        }

        if (inputs.PairingOpen)
        {
            holding.Add((ApplianceState.Pairing, "console pairing window open: claim the console from your browser"));
        }

        if (inputs.Requests.UpdateInProgress)
        {
            holding.Add((ApplianceState.UpdateInProgress, "update in progress"));
        }

        if (inputs.Requests.UpdateRefused is { } refused)
        {
            holding.Add((ApplianceState.Degraded, "update refused: " + refused));
        }

        if (inputs.Requests.SettingsErrors)
        {
            holding.Add((ApplianceState.Degraded, "the settings file on the boot partition has errors: see session-appliance-results.txt"));
        }

        AddNodeStates(inputs, holding);
        AddBoardStates(inputs.Board, nodeAnswering: inputs.Node == NodeContact.Answering, holding);
        if (holding.Count == 0)
        {
            holding.Add((ApplianceState.Healthy, "serving"));
        }

        return [.. holding.OrderBy(h => h.Item1)];
    }

    public static ApplianceState Choose(StatusInputs inputs) => Holding(inputs)[0].State;

    private static void AddNodeStates(StatusInputs inputs, List<(ApplianceState, string)> holding)
    {
        switch (inputs.Node)
        {
            case NodeContact.NeverAnswered:
                holding.Add((ApplianceState.Booting, "waiting for the node to start"));
                return;
            case NodeContact.Lost:
                holding.Add((ApplianceState.Error, "the node does not answer"));
                return;
        }

        var report = inputs.Report!;
        if (report.Starting)
        {
            holding.Add((ApplianceState.Starting, "node starting"));
        }

        if (!report.Ready)
        {
            holding.AddRange(report.NotReadyReasons.DefaultIfEmpty("node not ready").Select(r => (ApplianceState.NotReady, r)));
        }

        holding.AddRange(report.DegradedReasons.Select(r => (ApplianceState.Degraded, r)));
    }

    private static void AddBoardStates(BoardReport board, bool nodeAnswering, List<(ApplianceState, string)> holding)
    {
        // An answering node judges its clock itself (it may have set it from its peers' signed times while NTP is
        // blocked) and says so among its not-ready reasons; the board's own NTP flag speaks only when it cannot.
        if (board.ClockSynchronised == false && !nodeAnswering)
        {
            holding.Add((ApplianceState.NotReady, "clock not synchronised"));
        }

        if (board.CpuCelsius >= HotCelsius)
        {
            holding.Add((ApplianceState.Degraded, $"CPU hot ({board.CpuCelsius:0} °C)"));
        }

        if (board.Throttled == true)
        {
            holding.Add((ApplianceState.Degraded, "CPU throttled"));
        }

        if (board.UnderVoltage == true)
        {
            holding.Add((ApplianceState.Degraded, "under-voltage reported by the board"));
        }
    }
}

/// <summary>Whether the node has answered: never yet (booting), recently, or not for too long (error).</summary>
public enum NodeContact
{
    NeverAnswered,
    Answering,
    Lost,
}

/// <summary>Everything the choice depends on.</summary>
public sealed record StatusInputs(NodeContact Node, NodeReport? Report, BoardReport Board, OperatorRequests Requests, bool ShuttingDown, bool PairingOpen = false);
