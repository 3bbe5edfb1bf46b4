using RomanaAws.Controller.Reconcile;

namespace RomanaAws.Controller.Status;

/// <summary>The latest reconcile result and running totals, for the HTTP API and metrics. Thread-safe.</summary>
public sealed class ControllerStatus(TimeProvider time)
{
    private readonly Lock _sync = new();
    private readonly Dictionary<string, long> _operations = new(StringComparer.Ordinal);

    public ReconcileResult? Last { get; private set; }

    public DateTimeOffset? LastSuccess { get; private set; }

    public string? LastFailure { get; private set; }

    public long Passes { get; private set; }

    public long ReconcileErrors { get; private set; }

    public int ConsecutiveFailures { get; private set; }

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    /// <summary>Ready once one pass has completed without error.</summary>
    public bool Ready => LastSuccess is not null;

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
            Passes++;
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
                LastFailure = string.Join("; ", result.Errors.Take(3));
            }
        }
    }

    public void RecordFailure(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        lock (_sync)
        {
            Passes++;
            ReconcileErrors++;
            ConsecutiveFailures++;
            LastFailure = error.Message;
        }
    }
}
