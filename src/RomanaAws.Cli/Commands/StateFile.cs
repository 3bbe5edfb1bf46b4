using RomanaAws.Core.Ipam;
using RomanaAws.Core.Persistence;

namespace RomanaAws.Cli.Commands;

/// <summary>Load → change → save of a state file, with the revision check that turns a concurrent writer into a conflict.</summary>
internal sealed class StateFile
{
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

    public static async Task<StateFile> OpenAsync(FileInfo file, CancellationToken cancellationToken)
    {
        var store = new FileIpamStateStore(file.FullName);
        var document = await store.LoadAsync(cancellationToken)
            ?? throw new IpamException($"--state {store.Path}: no state file there; create one with 'romana-aws ipam init --config FILE --state {file}'");
        return new StateFile(store, Ipam.FromDocument(document, store.Path), document.Revision);
    }

    /// <summary>Writes a brand-new state file; refuses to overwrite an existing one.</summary>
    public static async Task<long> CreateAsync(FileInfo file, Ipam ipam, CancellationToken cancellationToken)
    {
        var store = new FileIpamStateStore(file.FullName);
        if (File.Exists(store.Path))
        {
            throw new IpamException($"--state {store.Path}: a state file exists already; use 'romana-aws ipam apply' to change its topology");
        }

        return await store.SaveAsync(ipam.ToDocument(), 0, cancellationToken);
    }

    public async Task SaveAsync(Ipam next, CancellationToken cancellationToken)
    {
        Revision = await _store.SaveAsync(next.ToDocument(), Revision, cancellationToken);
        Ipam = next;
    }
}
