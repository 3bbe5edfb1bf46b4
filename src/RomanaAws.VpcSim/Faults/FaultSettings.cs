namespace RomanaAws.VpcSim.Faults;

/// <summary>
/// Faults injected into API calls (admin API or in-process): latency, a fraction of 5xx or throttling answers,
/// a failure for one action, and actions the caller is not authorized for.
/// </summary>
public sealed record FaultSettings
{
    /// <summary>Added to every call.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Uniform extra latency between zero and this.</summary>
    public TimeSpan Jitter { get; init; }

    /// <summary>Fraction (0–1) of calls answered with <c>InternalError</c> (HTTP 500) or <c>Unavailable</c> (503).</summary>
    public double ServerErrorRate { get; init; }

    /// <summary>Fraction (0–1) of calls answered with <c>RequestLimitExceeded</c>, beyond the token buckets.</summary>
    public double ThrottleRate { get; init; }

    /// <summary>Action name → error code every call of that action answers (e.g. ReplaceRoute → InternalError).</summary>
    public IReadOnlyDictionary<string, string> FailActions { get; init; } = new Dictionary<string, string>();

    /// <summary>Actions answered with <c>UnauthorizedOperation</c> (HTTP 403), to test permission checks.</summary>
    public IReadOnlySet<string> UnauthorizedActions { get; init; } = new HashSet<string>();

    public static FaultSettings None { get; } = new();
}
