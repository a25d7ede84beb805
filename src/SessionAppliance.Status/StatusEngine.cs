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

    // The poll task writes readings while the tick task reads them: one immutable snapshot, swapped whole under
    // a lock and read with Volatile, so a tick never sees a report without its time or a torn DateTimeOffset.
    private readonly Lock _readingsLock = new();
    private Readings _readings = new(null, null, new BoardReport(null, null, null, null), new OperatorRequests(false, false));
    private bool _shuttingDown;
    private (LedPattern Pattern, DateTimeOffset Until)? _spelling;
    private object? _patternKey;
    private DateTimeOffset _patternStart;

    public StatusEngine(IReadOnlyList<ILedOutput> outputs, IButtonInput? button, ISystemActions actions, ButtonTimings timings,
        TimeSpan nodeTimeout, TimeSpan bootGrace, TimeProvider time, ILogger logger)
    {
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

    public void NodeAnswered(NodeReport report) => Update(r => r with { Report = report, LastAnswer = _time.GetUtcNow() });

    public void BoardRead(BoardReport board) => Update(r => r with { Board = board });

    public void RequestsRead(OperatorRequests requests) => Update(r => r with { Requests = requests });

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

    private StatusInputs Inputs(DateTimeOffset now)
    {
        var readings = Volatile.Read(ref _readings);
        var contact = readings.LastAnswer switch
        {
            null => now - _started < _bootGrace ? NodeContact.NeverAnswered : NodeContact.Lost,
            { } last => now - last <= _nodeTimeout ? NodeContact.Answering : NodeContact.Lost,
        };
        return new StatusInputs(contact, readings.Report, readings.Board, readings.Requests, _shuttingDown);
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
