using RomanaAws.Controller.Reconcile;


namespace RomanaAws.Controller.Status;

/// <summary>The latest reconcile result and running totals, for the HTTP API and metrics. Thread-safe.</summary>
public sealed class ControllerStatus(TimeProvider time)
{
    private readonly Lock _sync = new();
    private readonly Dictionary<string, long> _operations = new(StringComparer.Ordinal);
    private readonly List<FailoverEvent> _failovers = [];
    private readonly List<FailoverEvent> _unpublished = [];
    private long _unpublishedErrors;

    /// <summary>Raised after a pass that moved routes (the metrics publisher flushes at once; the demo shows it).</summary>
    public event Action<FailoverEvent>? FailoverCompleted;

    /// <summary>Raised after every recorded pass (the Kubernetes node sync updates conditions and events from it).</summary>
    public event Action<ReconcileResult>? Recorded;

    public long FailoverCount { get; private set; }

    /// <summary>The most recent failovers, newest last (at most 50).</summary>
    public IReadOnlyList<FailoverEvent> RecentFailovers
    {
        get
        {
            lock (_sync)
            {
                return _failovers.ToList();
            }
        }
    }

    /// <summary>Puts back what a failed publish took, so the next batch carries it.</summary>
    public void Requeue(IReadOnlyList<FailoverEvent> failovers, long errors)
    {
        ArgumentNullException.ThrowIfNull(failovers);
        lock (_sync)
        {
            _unpublished.InsertRange(0, failovers);
            _unpublishedErrors += errors;
        }
    }

    /// <summary>Failovers and reconcile errors since the last call (for the CloudWatch publisher).</summary>
    public (IReadOnlyList<FailoverEvent> Failovers, long Errors) TakeUnpublished()
    {
        lock (_sync)
        {
            var taken = (_unpublished.ToList(), _unpublishedErrors);
            _unpublished.Clear();
            _unpublishedErrors = 0;
            return taken;
        }
    }

    public ReconcileResult? Last { get; private set; }

    public DateTimeOffset? LastSuccess { get; private set; }

    /// <summary>When the last pass ended, successfully or not (for liveness).</summary>
    public DateTimeOffset? LastPassAt { get; private set; }

    public string? LastFailure { get; private set; }

    public long Passes { get; private set; }

    public long ReconcileErrors { get; private set; }

    public int ConsecutiveFailures { get; private set; }

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    /// <summary>This replica's part (leader, standby, or unknown while etcd cannot be reached); a single replica leads.</summary>
    public Core.Leadership.LeaderRole Role { get; set; } = Core.Leadership.LeaderRole.Leader;

    /// <summary>Terms this replica began as leader (with etcd; the CloudWatch LeaderChanges metric is their count per period).</summary>
    public int Terms { get; private set; }

    public void RecordTerm()
    {
        lock (_sync)
        {
            Terms++;
        }
    }

    /// <summary>The last pass stopped because the term ended (not a failure: no write followed it); null when none was.</summary>
    public StoppedPass? LastStopped { get; private set; }

    /// <summary>Passes stopped because the term ended.</summary>
    public long Stopped { get; private set; }

    /// <summary>A pass stopped at a refused write or the end of its term: recorded apart from failures (the loop does not count it against readiness or retry sooner).</summary>
    public void RecordStopped(string reason)
    {
        lock (_sync)
        {
            LastStopped = new StoppedPass(time.GetUtcNow(), reason);
            Stopped++;
        }
    }

    /// <summary>When a standby last reloaded the state (null for a leader, or before the first reload).</summary>
    public DateTimeOffset? LastRefresh { get; private set; }

    /// <summary>Ready once one pass has completed without error, or, as a standby, once the state is loaded (it serves reads).</summary>
    public bool Ready => LastSuccess is not null || (Role == Core.Leadership.LeaderRole.Follower && LastRefresh is not null);

    /// <summary>A standby reloaded the state: it is alive and its reads are current as of <paramref name="at"/>.</summary>
    public void RecordStandby(DateTimeOffset at)
    {
        lock (_sync)
        {
            LastRefresh = at;
            LastPassAt = at;
            ConsecutiveFailures = 0;
        }
    }

    public IReadOnlyDictionary<string, long> Operations
    {
        get
        {
            lock (_sync)
            {
                return new Dictionary<string, long>(_operations);
            }
        }
    }

    public void Record(ReconcileResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (_sync)
        {
            Last = result;
            LastPassAt = result.StartedAt + result.Duration;
            Passes++;
            FailoverCount += result.Failovers.Count;
            _failovers.AddRange(result.Failovers);
            _unpublished.AddRange(result.Failovers);
            _unpublishedErrors += result.Errors.Count;
            if (_failovers.Count > 50)
            {
                _failovers.RemoveRange(0, _failovers.Count - 50);
            }
            foreach (var kind in result.Plan.Operations.GroupBy(o => o.Kind.ToString().ToLowerInvariant()))
            {
                _operations[kind.Key] = _operations.GetValueOrDefault(kind.Key) + kind.Count();
            }

            if (result.Succeeded)
            {
                LastSuccess = result.StartedAt;
                ConsecutiveFailures = 0;
            }
            else
            {
                ReconcileErrors += result.Errors.Count;
                ConsecutiveFailures++;
                LastFailure = string.Join("; ", result.Errors.Take(3).Select(e => e.Message));
            }
        }

        foreach (var failover in result.Failovers)
        {
            FailoverCompleted?.Invoke(failover);
        }

        Recorded?.Invoke(result);
    }

    public void RecordFailure(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        lock (_sync)
        {
            Passes++;
            LastPassAt = time.GetUtcNow();
            ReconcileErrors++;
            _unpublishedErrors++;
            ConsecutiveFailures++;
            LastFailure = error.Message;
        }
    }
}
