using RomanaAws.Core.Ipam;
using RomanaAws.Core.Persistence;

namespace RomanaAws.Cli.Commands;

/// <summary>
/// Load → change → save of a state file. A save waits for another writer's lock up to the lock timeout, and a
/// save that finds another writer saved first is redone from a fresh load, within the same timeout.
/// </summary>
internal sealed class StateFile
{
    private const double MaxLockTimeoutSeconds = 3600;

    private readonly FileIpamStateStore _store;

    private StateFile(FileIpamStateStore store, Ipam ipam, long revision)
    {
        _store = store;
        Ipam = ipam;
        Revision = revision;
    }

    public Ipam Ipam { get; private set; }

    public long Revision { get; private set; }

    public string Path => _store.Path;

    public static Task<StateFile> OpenAsync(FileInfo file, CancellationToken cancellationToken) =>
        OpenAsync(new FileIpamStateStore(file.FullName), file, cancellationToken);

    /// <summary>The store for <paramref name="file"/>, waiting <paramref name="lockTimeoutSeconds"/> for the writer lock (checked: 0 to 3600).</summary>
    public static FileIpamStateStore Store(FileInfo file, double lockTimeoutSeconds) =>
        new(file.FullName, LockTimeout(lockTimeoutSeconds), TimeProvider.System);

    /// <summary>
    /// Applies <paramref name="change"/> to the stored state and saves the IPAM it returns (nothing when it returns
    /// null). When another writer saved first, loads again and re-applies, until <paramref name="lockTimeoutSeconds"/>
    /// have passed; then the error says how long it tried.
    /// </summary>
    public static async Task<(StateFile File, T Result)> UpdateAsync<T>(FileInfo file, double lockTimeoutSeconds, Func<Ipam, (Ipam? Next, T Result)> change, CancellationToken cancellationToken)
    {
        var timeout = LockTimeout(lockTimeoutSeconds);
        var time = TimeProvider.System;
        var started = time.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            var remaining = timeout - time.GetElapsedTime(started);
            var state = await OpenAsync(new FileIpamStateStore(file.FullName, remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, time), file, cancellationToken);
            var (next, result) = change(state.Ipam);
            if (next is null)
            {
                return (state, result);
            }

            try
            {
                await state.SaveAsync(next, cancellationToken);
                return (state, result);
            }
            catch (StateConflictException ex) when (!ex.IsLockTimeout)
            {
                var waited = time.GetElapsedTime(started);
                if (waited >= timeout)
                {
                    throw new StateConflictException($"{state.Path}: gave up after {attempt} attempt(s) in {waited.TotalSeconds:0.0} s (lock timeout {timeout.TotalSeconds:0.###} s): each time another writer had saved first; retry, or give a longer --lock-timeout", ex);
                }
            }
        }
    }

    /// <summary>Writes a brand-new state file; refuses to overwrite an existing one.</summary>
    public static async Task<long> CreateAsync(FileInfo file, Ipam ipam, double lockTimeoutSeconds, CancellationToken cancellationToken)
    {
        var store = Store(file, lockTimeoutSeconds);
        if (File.Exists(store.ResolvePath()))
        {
            throw new IpamException($"--state {store.Path}: a state file exists already; use 'romana-aws ipam apply' to change its topology");
        }

        return await store.SaveAsync(ipam.ToDocument(), 0, cancellationToken);
    }

    private static async Task<StateFile> OpenAsync(FileIpamStateStore store, FileInfo file, CancellationToken cancellationToken)
    {
        var document = await store.LoadAsync(cancellationToken)
            ?? throw new IpamException($"--state {store.Path}: no state file there; create one with 'romana-aws ipam init --config FILE --state {file}'");
        return new StateFile(store, Ipam.FromDocument(document, store.Path), document.Revision);
    }

    private static TimeSpan LockTimeout(double seconds) =>
        double.IsFinite(seconds) && seconds is >= 0 and <= MaxLockTimeoutSeconds
            ? TimeSpan.FromSeconds(seconds)
            : throw new InputFileException($"--lock-timeout {seconds} must be 0 to {MaxLockTimeoutSeconds} seconds (0: do not wait for another writer)");

    private async Task SaveAsync(Ipam next, CancellationToken cancellationToken)
    {
        Revision = await _store.SaveAsync(next.ToDocument(), Revision, cancellationToken);
        Ipam = next;
    }
}
