using RomanaAws.Core.Ipam;
using RomanaAws.Core.Persistence;
using RomanaAws.Core.Topology;

namespace RomanaAws.Controller.Reconcile;

/// <summary>
/// The controller's IPAM and where it is kept. Loads the stored state (applying a changed topology without
/// renumbering) or starts a new one; saves only when something changed, with the revision check of the store.
/// </summary>
public sealed class IpamStore(IIpamStateStore store, TopologyConfig topology)
{
    private long _revision;

    public Ipam Ipam { get; private set; } = Ipam.Create(topology);

    public IReadOnlyList<string> LoadChanges { get; private set; } = [];

    /// <summary>Changed in memory but not yet saved: no route is planned from it until it is.</summary>
    public bool Dirty { get; private set; }

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var document = await store.LoadAsync(cancellationToken);
        if (document is null)
        {
            Ipam = Ipam.Create(topology);
            _revision = 0;
            LoadChanges = ["no stored state: starting a new IPAM"];
            return;
        }

        var loaded = Ipam.FromDocument(document, "IPAM state");
        _revision = document.Revision;
        if (loaded.Topology == topology || System.Text.Json.JsonSerializer.Serialize(loaded.Topology) == System.Text.Json.JsonSerializer.Serialize(topology))
        {
            Ipam = loaded;
            LoadChanges = [];
            return;
        }

        Ipam = loaded.ApplyTopology(topology, out var changes);
        LoadChanges = changes.Count == 0 ? ["topology changed (settings only)"] : changes;
        await SaveAsync(cancellationToken);
    }

    /// <summary>Drops unsaved changes: the stored state again (after a save that failed, so a refused change leaves nothing behind).</summary>
    public async Task RevertAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        Dirty = false;
    }

    /// <summary>Saves; when another writer got there first (a CLI run, say), reloads the stored state instead and reports false.</summary>
    public async Task<bool> SaveAsync(CancellationToken cancellationToken)
    {
        Dirty = true;
        try
        {
            _revision = await store.SaveAsync(Ipam.ToDocument(), _revision, cancellationToken);
            Dirty = false;
            return true;
        }
        catch (StateConflictException)
        {
            await LoadAsync(cancellationToken);
            Dirty = false;
            return false;
        }
    }
}
