using Microsoft.Extensions.Logging;
using SessionAppliance.Status.Board;
using SessionAppliance.Status.Button;
using SessionAppliance.Status.Leds;
using SessionAppliance.Status.Model;

namespace SessionAppliance.Status;

/// <summary>
/// The status service's heart, driven by a clock: it takes the latest node, board and operator readings,
/// picks the state by priority, reads the button, acts on gestures and drives every LED output.
/// </summary>
public sealed partial class StatusEngine : IDisposable
{
    private readonly IReadOnlyList<ILedOutput> _outputs;
    private readonly IButtonInput? _button;
    private readonly ISystemActions _actions;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _nodeTimeout;
    private readonly TimeSpan _bootGrace;
    private readonly ButtonDebouncer _debouncer;
    private readonly GestureRecognizer _gestures;
    private readonly DateTimeOffset _started;
    private readonly TimeSpan _pairingWindow;

    // Written by the tick (button) or a console request, read by both. Monotonic timestamps (a clock step after
    // NTP must not stretch a window), in longs so reads are never torn; 0 means "not open".
    private long _pairingUntil;
    private long _identifyUntil;

    // The poll task writes readings while the tick task reads them: one immutable snapshot, swapped whole under
    // a lock and read with Volatile, so a tick never sees a report without its time or a torn DateTimeOffset.
    private readonly Lock _readingsLock = new();
    private Readings _readings = new(null, null, new BoardReport(null, null, null, null), new OperatorRequests(false, false));
    private bool _shuttingDown;
    private (LedPattern Pattern, DateTimeOffset Until)? _spelling;
    private object? _patternKey;
    private DateTimeOffset _patternStart;

    public StatusEngine(IReadOnlyList<ILedOutput> outputs, IButtonInput? button, ISystemActions actions, ButtonTimings timings,
        TimeSpan nodeTimeout, TimeSpan bootGrace, TimeProvider time, ILogger logger, TimeSpan? pairingWindow = null)
    {
        _pairingWindow = pairingWindow ?? TimeSpan.FromMinutes(5);
        _outputs = outputs;
        _button = button;
        _actions = actions;
        _time = time;
        _logger = logger;
        _nodeTimeout = nodeTimeout;
        _bootGrace = bootGrace;
        _debouncer = new ButtonDebouncer(timings.Debounce);
        _gestures = new GestureRecognizer(timings);
        _started = time.GetUtcNow();
    }

    public ApplianceState State { get; private set; } = ApplianceState.Booting;

    public IReadOnlyList<(ApplianceState State, string Reason)> Reasons => StatePriority.Holding(Inputs(_time.GetUtcNow()));

    /// <summary>Work started by a gesture (shutdown, reset); tests await it.</summary>
    public Task PendingAction { get; private set; } = Task.CompletedTask;

    /// <summary>Whether a double press opened the console's pairing window and it has not run out or been used.</summary>
    public bool PairingOpen => IsBefore(Interlocked.Read(ref _pairingUntil));

    /// <summary>Uses up the pairing window: one claim per double press, so a neighbour cannot claim alongside.</summary>
    public bool TryClaimPairing()
    {
        var until = Interlocked.Read(ref _pairingUntil);
        return IsBefore(until) && Interlocked.CompareExchange(ref _pairingUntil, 0, until) == until;
    }

    /// <summary>Shows "identify" for a while, asked for from the console.</summary>
    public void Identify(TimeSpan duration) => Interlocked.Exchange(ref _identifyUntil, DeadlineIn(duration));

    private long DeadlineIn(TimeSpan span) => _time.GetTimestamp() + (long)(span.TotalSeconds * _time.TimestampFrequency);

    private bool IsBefore(long deadline) => deadline != 0 && _time.GetTimestamp() < deadline;

    /// <summary>Everything the console shows, read in one go.</summary>
    public StatusView View()
    {
        var now = _time.GetUtcNow();
        var readings = Volatile.Read(ref _readings);
        var inputs = Inputs(now, readings);
        var holding = StatePriority.Holding(inputs);
        return new StatusView(holding[0].State, holding, inputs.Node, readings.Report, readings.LastAnswer, readings.Board, inputs.PairingOpen, _started, now);
    }

    /// <summary>The node's last report, whether or not it still answers: what /metrics reads, without choosing a state.</summary>
    public NodeReport? LatestReport => Volatile.Read(ref _readings).Report;

    public BoardReport LatestBoard => Volatile.Read(ref _readings).Board;

    public void NodeAnswered(NodeReport report) => Update(r => r with { Report = report, LastAnswer = _time.GetUtcNow() });

    public void BoardRead(BoardReport board) => Update(r => r with { Board = board });

    public void RequestsRead(OperatorRequests requests)
    {
        var previous = Volatile.Read(ref _readings).Requests.PairRequestedAt;
        Update(r => r with { Requests = requests });
        // A touch newer than the last one seen, and recent: the first reading after a restart does not reopen an old request.
        if (requests.PairRequestedAt is { } at && at != previous && _time.GetUtcNow() - at < _pairingWindow)
        {
            LogButtonAction($"console pairing window open for {_pairingWindow.TotalMinutes:0} minutes (asked for over SSH)");
            Interlocked.Exchange(ref _pairingUntil, DeadlineIn(_pairingWindow - (_time.GetUtcNow() - at)));
        }
    }

    private void Update(Func<Readings, Readings> change)
    {
        lock (_readingsLock)
        {
            Volatile.Write(ref _readings, change(_readings));
        }
    }

    private sealed record Readings(NodeReport? Report, DateTimeOffset? LastAnswer, BoardReport Board, OperatorRequests Requests);

    /// <summary>One step: sample the button, choose the state, show the frame.</summary>
    public LedFrame Tick()
    {
        var now = _time.GetUtcNow();
        HandleButton(now);
        var state = StatePriority.Choose(Inputs(now));
        if (state != State)
        {
            LogStateChanged(State, state);
            State = state;
        }

        var frame = FrameAt(now);
        foreach (var output in _outputs)
        {
            output.Show(frame);
        }

        return frame;
    }

    private StatusInputs Inputs(DateTimeOffset now) => Inputs(now, Volatile.Read(ref _readings));

    private StatusInputs Inputs(DateTimeOffset now, Readings readings)
    {
        var contact = readings.LastAnswer switch
        {
            null => now - _started < _bootGrace ? NodeContact.NeverAnswered : NodeContact.Lost,
            { } last => now - last <= _nodeTimeout ? NodeContact.Answering : NodeContact.Lost,
        };
        var identify = readings.Requests.Identify || IsBefore(Interlocked.Read(ref _identifyUntil));
        return new StatusInputs(contact, readings.Report, readings.Board, readings.Requests with { Identify = identify }, _shuttingDown,
            IsBefore(Interlocked.Read(ref _pairingUntil)));
    }

    private LedFrame FrameAt(DateTimeOffset now)
    {
        var feedback = _gestures.Feedback(now);
        if (_spelling is { } spelling && now >= spelling.Until)
        {
            _spelling = null;
        }

        var (key, pattern, color) = feedback switch
        {
            HoldFeedback.ResetArmed => ((object)feedback, StateDisplay.ResetArmed, LedColor.Magenta),
            HoldFeedback.ShutdownArmed => (feedback, StateDisplay.ShutdownArmed, LedColor.Red),
            _ when _spelling is { } s => (s, s.Pattern, StateDisplay.ColorOf(State)),
            _ => (State, StateDisplay.PatternOf(State), StateDisplay.ColorOf(State)),
        };
        if (!Equals(key, _patternKey))
        {
            _patternKey = key;
            _patternStart = now;
        }

        return pattern.IsOnAt(now - _patternStart) ? new LedFrame(true, color) : LedFrame.Dark;
    }

    private void HandleButton(DateTimeOffset now)
    {
        if (_button is null)
        {
            return;
        }

        _debouncer.Update(_button.IsPressed, now);
        switch (_gestures.Update(_debouncer.Pressed, now))
        {
            case ButtonGesture.ShortPress:
                var spell = LedPattern.BlinkCount(StateDisplay.BlinkCountOf(State));
                _spelling = (spell, now + TimeSpan.FromMilliseconds(spell.PeriodMilliseconds));
                break;
            case ButtonGesture.Shutdown:
                LogButtonAction("shutdown");
                _shuttingDown = true;
                PendingAction = _actions.ShutdownAsync(CancellationToken.None);
                break;
            case ButtonGesture.ResetArmed:
                LogButtonAction("factory reset armed; press once more within the window to confirm");
                break;
            case ButtonGesture.ResetConfirmed:
                LogButtonAction("factory reset confirmed");
                _shuttingDown = true;
                PendingAction = _actions.FactoryResetAsync(CancellationToken.None);
                break;
            case ButtonGesture.ResetCancelled:
                LogButtonAction("factory reset cancelled");
                break;
            case ButtonGesture.DoublePress:
                LogButtonAction($"console pairing window open for {_pairingWindow.TotalMinutes:0} minutes");
                _spelling = null;
                Interlocked.Exchange(ref _pairingUntil, DeadlineIn(_pairingWindow));
                break;
        }
    }

    /// <summary>Switches every output off and hands board LEDs back to their kernel triggers.</summary>
    public void Dispose()
    {
        foreach (var output in _outputs)
        {
            output.Show(LedFrame.Dark);
            output.Dispose();
        }

        _button?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Status: {Previous} -> {Current}")]
    private partial void LogStateChanged(ApplianceState previous, ApplianceState current);

    [LoggerMessage(Level = LogLevel.Information, Message = "Button: {Action}")]
    private partial void LogButtonAction(string action);
}
