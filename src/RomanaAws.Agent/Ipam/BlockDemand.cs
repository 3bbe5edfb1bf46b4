using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Ipam;

/// <summary>
/// When to claim a block from the controller and when to give one back, per pool (an owner in one pod network;
/// "owner" below). Pure: the same pools and time give the same decision.
/// <list type="bullet">
/// <item>Claim one block for an owner whose free addresses fall below the low watermark (by default a quarter of a
/// block, at least 1 address), so an ADD almost never waits on the network; or when an ADD is already waiting. At
/// most one claim per owner per decision, none while one is in flight.</item>
/// <item>Give back a block that has been empty for at least the grace period (default 5 minutes), oldest empty first,
/// only while the owner keeps at least the watermark free afterwards (no claim/give-back flapping), and never the
/// last block of an owner that has live pods. An owner with no live pods gives back every block past its grace.</item>
/// </list>
/// </summary>
public sealed class BlockDemand
{
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromMinutes(5);

    public const double DefaultLowWatermark = 0.25;

    public BlockDemand(double lowWatermark = DefaultLowWatermark, TimeSpan? grace = null)
    {
        if (!(lowWatermark is >= 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(lowWatermark), lowWatermark, "the low watermark is a fraction of a block: at least 0 and below 1");
        }

        Grace = grace ?? DefaultGrace;
        if (Grace < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(grace), Grace, "the give-back grace period must not be negative");
        }

        LowWatermark = lowWatermark;
    }

    public double LowWatermark { get; }

    public TimeSpan Grace { get; }

    /// <summary>Free addresses below which an owner claims another block: <see cref="LowWatermark"/> of a block, at least 1.</summary>
    public int Threshold(int blockSize) => Math.Max(1, (int)Math.Ceiling(blockSize * LowWatermark));

    public BlockDecision Decide(IEnumerable<PoolDemand> owners, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(owners);
        var claim = new List<AddressPool>();
        var giveBack = new List<Cidr>();
        foreach (var owner in owners.OrderBy(o => o.Pool.Owner, StringComparer.Ordinal).ThenBy(o => o.Pool.Network, StringComparer.Ordinal))
        {
            var threshold = Threshold(owner.BlockSize);
            if (owner.Waiting || (owner.Blocks > 0 && owner.LivePods > 0 && owner.Free < threshold))
            {
                if (!owner.ClaimPending)
                {
                    claim.Add(owner.Pool);
                }

                continue;
            }

            var free = owner.Free;
            var blocks = owner.Blocks;
            foreach (var empty in owner.Empty.Where(e => now - e.EmptySince >= Grace).OrderBy(e => e.EmptySince).ThenBy(e => e.Cidr))
            {
                var keeps = owner.LivePods == 0 || (blocks > 1 && free - owner.BlockSize >= threshold);
                if (!keeps)
                {
                    break;
                }

                giveBack.Add(empty.Cidr);
                free -= owner.BlockSize;
                blocks--;
            }
        }

        return new BlockDecision(claim, giveBack);
    }
}
