using System.Numerics;

namespace RomanaAws.Core.Ipam;

/// <summary>A growable bit set with "lowest clear bit" search; one bit per block of a group.</summary>
internal sealed class BlockBitmap
{
    private ulong[] _words;
    private int _firstMaybeClear;

    public BlockBitmap(int count)
    {
        Count = count;
        _words = new ulong[(count + 63) / 64];
    }

    public int Count { get; private set; }

    public int SetCount { get; private set; }

    public bool this[int index] => (_words[index >> 6] & (1UL << index)) != 0;

    public void Grow(int newCount)
    {
        if (newCount <= Count)
        {
            return;
        }

        Array.Resize(ref _words, (newCount + 63) / 64);
        Count = newCount;
    }

    public void Shrink(int newCount)
    {
        for (var i = newCount; i < Count; i++)
        {
            if (this[i])
            {
                throw new InvalidOperationException($"bit {i} is still set");
            }
        }

        Count = newCount;
        Array.Resize(ref _words, (newCount + 63) / 64);
        _firstMaybeClear = Math.Min(_firstMaybeClear, newCount);
    }

    public bool Set(int index)
    {
        ref var word = ref _words[index >> 6];
        var mask = 1UL << index;
        if ((word & mask) != 0)
        {
            return false;
        }

        word |= mask;
        SetCount++;
        return true;
    }

    public bool Clear(int index)
    {
        ref var word = ref _words[index >> 6];
        var mask = 1UL << index;
        if ((word & mask) == 0)
        {
            return false;
        }

        word &= ~mask;
        SetCount--;
        if (index < _firstMaybeClear)
        {
            _firstMaybeClear = index;
        }

        return true;
    }

    /// <summary>The lowest clear bit in [<paramref name="from"/>, <paramref name="to"/>), or -1.</summary>
    public int FindClear(int from, int to)
    {
        from = Math.Max(from, _firstMaybeClear);
        for (var w = from >> 6; w < _words.Length && w << 6 < to; w++)
        {
            var free = ~_words[w];
            if (w == from >> 6)
            {
                free &= ~0UL << (from & 63);
            }

            if (free != 0)
            {
                var index = (w << 6) + BitOperations.TrailingZeroCount(free);
                return index < to ? index : -1;
            }
        }

        return -1;
    }

    /// <summary>Lowest clear bit overall; remembers where the search may start next time.</summary>
    public int FindClear()
    {
        var index = FindClear(0, Count);
        _firstMaybeClear = index < 0 ? Count : index;
        return index;
    }

    public bool AnySet(int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            if (this[i])
            {
                return true;
            }
        }

        return false;
    }
}
