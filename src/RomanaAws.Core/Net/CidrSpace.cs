namespace RomanaAws.Core.Net;

/// <summary>Free-space arithmetic over a parent prefix: what is left, and the lowest free aligned prefix.</summary>
public static class CidrSpace
{
    /// <summary>The lowest prefix of length <paramref name="prefix"/> inside <paramref name="parent"/> overlapping none of <paramref name="taken"/>.</summary>
    public static Cidr? FindFree(Cidr parent, int prefix, IEnumerable<Cidr> taken)
    {
        ArgumentNullException.ThrowIfNull(taken);
        if (prefix < parent.PrefixLength || prefix > parent.Width)
        {
            return null;
        }

        var busy = taken.Where(parent.Overlaps).OrderBy(c => c).ToList();
        var size = UInt128.One << (parent.Width - prefix);
        var candidate = parent.NetworkNumber;
        while (parent.ContainsNumber(candidate))
        {
            var probe = Cidr.FromNumber(candidate, prefix, parent.IsIPv6);
            var at = busy.FindIndex(probe.Overlaps);
            if (at < 0)
            {
                return probe;
            }

            var blocker = busy[at];
            // Jump past the blocker, to the next aligned candidate.
            var next = (blocker.LastNumber + 1 + size - 1) / size * size;
            if (next <= candidate || blocker.LastNumber == UInt128.MaxValue)
            {
                return null;
            }

            candidate = next;
        }

        return null;
    }

    /// <summary>The minimal sorted list of prefixes covering <paramref name="parent"/> minus <paramref name="taken"/>.</summary>
    public static IReadOnlyList<Cidr> Subtract(Cidr parent, IEnumerable<Cidr> taken)
    {
        ArgumentNullException.ThrowIfNull(taken);
        var busy = taken.Where(parent.Overlaps).ToList();
        var result = new List<Cidr>();
        Walk(parent);
        return result;

        void Walk(Cidr c)
        {
            if (!busy.Any(c.Overlaps))
            {
                result.Add(c);
                return;
            }

            if (busy.Any(b => b.Contains(c)) || c.PrefixLength == c.Width)
            {
                return;
            }

            Walk(c.Child(c.PrefixLength + 1, 0));
            Walk(c.Child(c.PrefixLength + 1, 1));
        }
    }
}
