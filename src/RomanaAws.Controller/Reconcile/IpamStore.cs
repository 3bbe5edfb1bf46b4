using RomanaAws.Core.Ipam;
using RomanaAws.Core.Leadership;
using RomanaAws.Core.Persistence;
using RomanaAws.Core.Topology;

namespace RomanaAws.Controller.Reconcile;

/// <summary>
/// The controller's IPAM and where it is kept. Loads the stored state (applying a changed topology without
/// renumbering) or starts a new one; saves only when something changed, with the revision check of the store, and only
/// while the write fence allows (checked before every save: the etcd store is fenced by its transaction's compare as
/// well, the check saves that round trip and names the reason). After every load and save it publishes the stored
/// state for readers (<see cref="Published"/>). Not thread-safe itself: callers serialise; <see cref="Published"/> may
/// be read from any thread.
/// </summary>
public sealed class IpamStore(IIpamStateStore store, TopologyConfig topology, IWriteFence? fence = null)
{
    private readonly IWriteFence _fence = fence ?? OpenWriteFence.Instance;
    private readonly TaskCompletionSource _firstPublished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private PublishedState? _published;
    private long _revision;

    public Ipam Ipam { get; private set; } = Ipam.Create(topology);

    public IReadOnlyList<string> LoadChanges { get; private set; } = [];

    /// <summary>Changed in memory but not yet saved: no route is planned from it until it is.</summary>
    public bool Dirty { get; private set; }

    /// <summary>The state as last loaded or saved, for readers on any thread; null before the first load.</summary>
    public PublishedState? Published => Volatile.Read(ref _published);

    /// <summary>Completes when the first state is published.</summary>
    public Task FirstPublished => _firstPublished.Task;

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var document = await store.LoadAsync(cancellationToken);
        if (document is null)
        {
            Ipam = Ipam.Create(topology);
            Dirty = false;
            _revision = 0;
            LoadChanges = ["no stored state: starting a new IPAM"];
            Publish(Ipam.ToDocument());
            return;
        }

        var loaded = Ipam.FromDocument(document, "IPAM state");
        _revision = document.Revision;
        Ipam = loaded;
        Dirty = false;
        LoadChanges = [];
        Publish(loaded.ToDocument(_revision)); // the engine's own rendering: what a save of it would store
        if (loaded.Topology == topology || System.Text.Json.JsonSerializer.Serialize(loaded.Topology) == System.Text.Json.JsonSerializer.Serialize(topology))
        {
            return;
        }

        Ipam = loaded.ApplyTopology(topology, out var changes);
        LoadChanges = changes.Count == 0 ? ["topology changed (settings only)"] : changes;
        await SaveAsync(cancellationToken);
    }

    /// <summary>Drops unsaved changes: the stored state again (after a save that failed, so a refused change leaves nothing behind).</summary>
    public Task RevertAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    /// <summary>Saves behind the store's fence; see <see cref="SaveAsync(IWriteFence, CancellationToken)"/>.</summary>
    public Task<bool> SaveAsync(CancellationToken cancellationToken) => SaveAsync(_fence, cancellationToken);

    /// <summary>
    /// Saves when <paramref name="writeFence"/> allows (a pass gives its pinned fence; else throws <see cref="NotLeaderException"/>
    /// and the change stays unsaved); when another writer got there first (a CLI run, say), reloads the stored state instead and reports false.
    /// </summary>
    public async Task<bool> SaveAsync(IWriteFence writeFence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writeFence);
        Dirty = true;
        writeFence.EnsureMayWrite();
        var document = Ipam.ToDocument();
        try
        {
            _revision = await store.SaveAsync(document, _revision, cancellationToken);
            Dirty = false;
            Publish(document);
            return true;
        }
        catch (StateConflictException)
        {
            await LoadAsync(cancellationToken);
            return false;
        }
    }

    private void Publish(IpamStateDocument document)
    {
        Volatile.Write(ref _published, new PublishedState(document, _revision, topology.Routing));
        _firstPublished.TrySetResult();
    }
}
