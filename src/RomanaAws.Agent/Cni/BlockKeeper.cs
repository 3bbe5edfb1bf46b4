using RomanaAws.Agent.Ipam;
using RomanaAws.Agent.Service;
using RomanaAws.Core.Agents;
using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Cni;

/// <summary>
/// Keeps this node's blocks matched to its pods, with the controller (docs/agent.md, "Block claims"): claims a block
/// for a pool (an owner in one pod network) ahead of need (<see cref="BlockDemand"/> decides, purely), claims at once when an ADD finds no free
/// address, gives back blocks empty for the grace period (stop allocating, report 0, release), and reports per-block
/// usage when it changed. Thin: the decisions are <see cref="BlockDemand"/>'s.
/// </summary>
public sealed class BlockKeeper(PodAddressService addresses, ControllerBlocksClient controller, BlockDemand demand, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan ClaimTimeout = TimeSpan.FromSeconds(10);
    private readonly SemaphoreSlim _claiming = new(1, 1);
    private readonly Dictionary<Cidr, DateTimeOffset> _emptySince = [];
    private Dictionary<Cidr, int>? _reported;

    /// <summary>An ADD found no free address in <paramref name="pool"/>: claim a block now. Null on success, else why not.</summary>
    public Task<string?> ClaimNowAsync(AddressPool pool, CancellationToken cancellationToken) => ClaimAsync(pool, onlyWhenNoneFree: true, cancellationToken);

    private async Task<string?> ClaimAsync(AddressPool pool, bool onlyWhenNoneFree, CancellationToken cancellationToken)
    {
        await _claiming.WaitAsync(cancellationToken);
        try
        {
            if (onlyWhenNoneFree && addresses.Free(pool) > 0)
            {
                return null; // a concurrent ADD's claim got there first
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ClaimTimeout);
            var claim = await controller.ClaimAsync(pool.Owner, timeout.Token, pool.Network);
            if (claim.Owner != pool.Owner || (pool.Network is { } network && claim.Network != network))
            {
                return $"the controller answered a claim for {pool} with block {claim.Cidr} of owner '{claim.Owner}' in network '{claim.Network}'";
            }

            // Kept in the pool asked for: a claim for the default network (null) is answered with that network's name.
            addresses.AddBlock(new OwnedBlock(claim.Cidr, claim.Owner, pool.Network));
            return null;
        }
        catch (Exception ex) when (ex is HttpRequestException or ControllerApiException or TaskCanceledException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
        {
            return ex is TaskCanceledException ? $"the controller gave no block within {ClaimTimeout.TotalSeconds:0} s" : $"the controller gave no block: {ex.Message}";
        }
        finally
        {
            _claiming.Release();
        }
    }

    /// <summary>After each sync: claims ahead of need, give-backs, and the usage report. Returns what it did, for the log.</summary>
    public async Task<IReadOnlyList<string>> KeepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var owners = addresses.Pools();
        var empty = owners.SelectMany(o => o.Empty).ToHashSet();
        foreach (var cidr in _emptySince.Keys.Where(c => !empty.Contains(c)).ToList())
        {
            _emptySince.Remove(cidr);
        }

        foreach (var cidr in empty)
        {
            _emptySince.TryAdd(cidr, now);
        }

        var decision = demand.Decide(owners.Select(o => new PoolDemand(o.Pool, o.Blocks, o.BlockSize, o.Free, o.Pods, o.Empty.Select(c => new EmptyBlock(c, _emptySince[c])).ToList())), now);
        var done = new List<string>();
        foreach (var pool in decision.Claim)
        {
            done.Add(await ClaimAsync(pool, onlyWhenNoneFree: false, cancellationToken) is { } problem ? $"claim for {pool} failed: {problem}" : $"claimed a block for {pool} ahead of need");
        }

        foreach (var cidr in decision.GiveBack)
        {
            addresses.RetireBlock(cidr);
            _emptySince.Remove(cidr);
        }

        var usage = addresses.Usage().ToDictionary();
        foreach (var cidr in decision.GiveBack)
        {
            usage[cidr] = 0;
        }

        if (_reported is null || !SameUsage(_reported, usage) || decision.GiveBack.Count > 0)
        {
            await controller.ReportUsageAsync(usage, cancellationToken);
            _reported = usage;
        }

        foreach (var cidr in decision.GiveBack)
        {
            await controller.ReleaseAsync(cidr, cancellationToken);
            done.Add($"gave back empty block {cidr}");
        }

        return done;
    }

    private static bool SameUsage(Dictionary<Cidr, int> a, Dictionary<Cidr, int> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    public void Dispose() => _claiming.Dispose();
}
