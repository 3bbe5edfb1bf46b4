using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;

namespace RomanaAws.Core.Net;

/// <summary>
/// An IP prefix (IPv4 or IPv6) held as a number, so that containment, splitting and aggregation are arithmetic.
/// Parsing is strict and leans on the BCL (<see cref="IPAddress"/>, <see cref="IPNetwork"/>): host bits set is an
/// error with a suggestion, never a silent truncation.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(CidrJsonConverter))]
public readonly record struct Cidr : IComparable<Cidr>
{
    private readonly UInt128 _network;
    private readonly byte _prefix;
    private readonly bool _isV6;

    private Cidr(UInt128 network, int prefix, bool isV6)
    {
        _network = network;
        _prefix = (byte)prefix;
        _isV6 = isV6;
    }

    /// <summary>Address width in bits: 32 for IPv4, 128 for IPv6.</summary>
    public int Width => _isV6 ? 128 : 32;

    public int PrefixLength => _prefix;

    public AddressFamily Family => _isV6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;

    public bool IsIPv6 => _isV6;

    /// <summary>The network address as a number (IPv4 in the low 32 bits).</summary>
    public UInt128 NetworkNumber => _network;

    /// <summary>Number of addresses covered. Saturates at <see cref="UInt128.MaxValue"/> for ::/0.</summary>
    public UInt128 AddressCount => HostBits >= 128 ? UInt128.MaxValue : UInt128.One << HostBits;

    public int HostBits => Width - _prefix;

    public UInt128 LastNumber => _network + (HostBits >= 128 ? UInt128.MaxValue : (UInt128.One << HostBits) - 1);

    public IPAddress NetworkAddress => ToAddress(_network, _isV6);

    public IPAddress LastAddress => ToAddress(LastNumber, _isV6);

    /// <summary>Builds a prefix from a number; host bits must be clear.</summary>
    public static Cidr FromNumber(UInt128 network, int prefix, bool isV6 = false)
    {
        var width = isV6 ? 128 : 32;
        if (prefix < 0 || prefix > width)
        {
            throw new ArgumentOutOfRangeException(nameof(prefix), prefix, $"prefix length must be between 0 and {width}");
        }

        if (!isV6 && network > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(network), "IPv4 network number does not fit in 32 bits");
        }

        if ((network & HostMask(width - prefix)) != 0)
        {
            throw new ArgumentException($"host bits set in {ToAddress(network, isV6)}/{prefix}", nameof(network));
        }

        return new Cidr(network, prefix, isV6);
    }

    public static Cidr FromAddress(IPAddress address, int prefix)
    {
        ArgumentNullException.ThrowIfNull(address);
        var isV6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        return FromNumber(ToNumber(address), prefix, isV6);
    }

    /// <summary>Parses <c>a.b.c.d/n</c> or an IPv6 prefix. Throws <see cref="FormatException"/> with the reason.</summary>
    public static Cidr Parse(string text)
    {
        if (!TryParse(text, out var cidr, out var error))
        {
            throw new FormatException(error);
        }

        return cidr;
    }

    public static bool TryParse([NotNullWhen(true)] string? text, out Cidr cidr) => TryParse(text, out cidr, out _);

    /// <summary>
    /// Strict parse. On failure <paramref name="error"/> says what is wrong and, where it can, what would be valid
    /// (for host bits set, the network the text probably meant).
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Cidr cidr, out string error) =>
        TryParse(text.AsSpan(), out cidr, out error);

    /// <summary>Strict parse of a span; allocation-free on success apart from the BCL's address parse.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Cidr cidr, out string error)
    {
        cidr = default;
        error = string.Empty;
        text = text.Trim();
        if (text.IsEmpty)
        {
            error = "empty; expected a prefix such as 10.0.0.0/16";
            return false;
        }

        var slash = text.IndexOf('/');
        if (slash <= 0 || slash == text.Length - 1)
        {
            error = $"'{text}' has no prefix length; expected address/length such as 10.0.0.0/16";
            return false;
        }

        var addressText = text[..slash];
        var lengthText = text[(slash + 1)..];
        if (!TryParseAddress(addressText, out var address))
        {
            error = $"'{addressText}' is not an IPv4 dotted quad or IPv6 address";
            return false;
        }

        var isV6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        var width = isV6 ? 128 : 32;
        if (!int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > width
            || (lengthText.Length > 1 && lengthText[0] == '0'))
        {
            error = $"prefix length '{lengthText}' must be a number from 0 to {width}";
            return false;
        }

        var number = ToNumber(address);
        if ((number & HostMask(width - prefix)) != 0)
        {
            var suggestion = new Cidr(number & ~HostMask(width - prefix), prefix, isV6);
            error = $"'{text}' has host bits set; did you mean {suggestion}?";
            return false;
        }

        cidr = new Cidr(number, prefix, isV6);
        return true;
    }

    /// <summary>Strict address parse: IPv4 only as four decimal octets (no "10.1", no leading zeros), or IPv6.</summary>
    public static bool TryParseAddress(string? text, [NotNullWhen(true)] out IPAddress? address) =>
        TryParseAddress(text.AsSpan(), out address);

    /// <summary>Strict address parse of a span (see <see cref="TryParseAddress(string?, out IPAddress?)"/>).</summary>
    public static bool TryParseAddress(ReadOnlySpan<char> text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (text.IsEmpty)
        {
            return false;
        }

        if (text.Contains(':'))
        {
            return !text.Contains('%') && IPAddress.TryParse(text, out address) && address.AddressFamily == AddressFamily.InterNetworkV6;
        }

        // Four octets of 1–3 decimal digits, no leading zero, each at most 255; the BCL then does the parse.
        int octets = 0, digits = 0, value = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == '.')
            {
                if (digits == 0 || value > 255)
                {
                    return false;
                }

                octets++;
                digits = value = 0;
                continue;
            }

            var c = text[i];
            if (!char.IsAsciiDigit(c) || (digits == 1 && value == 0) || ++digits > 3)
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return octets == 4 && IPAddress.TryParse(text, out address);
    }

    public bool Contains(Cidr other) =>
        other._isV6 == _isV6 && other._prefix >= _prefix && (other._network & ~HostMask(HostBits)) == _network;

    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var isV6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        return isV6 == _isV6 && (ToNumber(address) & ~HostMask(HostBits)) == _network;
    }

    public bool ContainsNumber(UInt128 number) => (number & ~HostMask(HostBits)) == _network;

    public bool Overlaps(Cidr other) => Contains(other) || other.Contains(this);

    /// <summary>The <paramref name="index"/>-th child of length <paramref name="newPrefix"/>, in address order.</summary>
    public Cidr Child(int newPrefix, UInt128 index)
    {
        CheckChildPrefix(newPrefix);
        var childBits = Width - newPrefix;
        var count = UInt128.One << (newPrefix - _prefix);
        if (index >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"{this} has {count} children of /{newPrefix}; index {index} is out of range");
        }

        return new Cidr(_network + (index << childBits), newPrefix, _isV6);
    }

    /// <summary>Number of children of length <paramref name="newPrefix"/>.</summary>
    public UInt128 ChildCount(int newPrefix)
    {
        CheckChildPrefix(newPrefix);
        return UInt128.One << (newPrefix - _prefix);
    }

    /// <summary>The index of <paramref name="child"/> among this prefix's children of the child's length.</summary>
    public UInt128 IndexOf(Cidr child)
    {
        if (!Contains(child))
        {
            throw new ArgumentException($"{child} is not inside {this}", nameof(child));
        }

        return (child._network - _network) >> (Width - child._prefix);
    }

    /// <summary>Splits into all children of length <paramref name="newPrefix"/>, lazily, in address order.</summary>
    public IEnumerable<Cidr> Split(int newPrefix)
    {
        CheckChildPrefix(newPrefix);
        var count = ChildCount(newPrefix);
        for (UInt128 i = 0; i < count; i++)
        {
            yield return Child(newPrefix, i);
        }
    }

    /// <summary>The address at <paramref name="offset"/> from the network address.</summary>
    public IPAddress AddressAt(UInt128 offset)
    {
        if (offset >= AddressCount)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"{this} holds {AddressCount} addresses");
        }

        return ToAddress(_network + offset, _isV6);
    }

    /// <summary>Every address in the prefix, lazily, in order.</summary>
    public IEnumerable<IPAddress> Addresses()
    {
        for (UInt128 i = 0; i < AddressCount; i++)
        {
            yield return ToAddress(_network + i, _isV6);
        }
    }

    /// <summary>
    /// The smallest set of prefixes covering exactly the union of <paramref name="cidrs"/>: contained prefixes are
    /// dropped and aligned siblings merged, repeatedly. The result is sorted.
    /// </summary>
    public static IReadOnlyList<Cidr> Aggregate(IEnumerable<Cidr> cidrs)
    {
        ArgumentNullException.ThrowIfNull(cidrs);
        var sorted = cidrs.Distinct().Order().ToList();
        var stack = new List<Cidr>(sorted.Count);
        foreach (var next in sorted)
        {
            if (stack.Count > 0 && stack[^1].Contains(next))
            {
                continue;
            }

            var current = next;
            while (stack.Count > 0 && stack[^1].TryMergeWithSibling(current, out var merged))
            {
                stack.RemoveAt(stack.Count - 1);
                current = merged;
            }

            stack.Add(current);
        }

        return stack;
    }

    private bool TryMergeWithSibling(Cidr other, out Cidr merged)
    {
        merged = default;
        if (other._isV6 != _isV6 || other._prefix != _prefix || _prefix == 0)
        {
            return false;
        }

        var parent = new Cidr(_network & ~HostMask(HostBits + 1), _prefix - 1, _isV6);
        if (parent.Contains(other) && other._network != _network)
        {
            merged = parent;
            return true;
        }

        return false;
    }

    public int CompareTo(Cidr other)
    {
        var c = _isV6.CompareTo(other._isV6);
        if (c != 0)
        {
            return c;
        }

        c = _network.CompareTo(other._network);
        return c != 0 ? c : _prefix.CompareTo(other._prefix);
    }

    public static bool operator <(Cidr left, Cidr right) => left.CompareTo(right) < 0;

    public static bool operator >(Cidr left, Cidr right) => left.CompareTo(right) > 0;

    public static bool operator <=(Cidr left, Cidr right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Cidr left, Cidr right) => left.CompareTo(right) >= 0;

    public IPNetwork ToIPNetwork() => new(NetworkAddress, _prefix);

    public override string ToString() => $"{NetworkAddress}/{_prefix}";

    public static UInt128 ToNumber(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            throw new ArgumentException($"cannot read {address}", nameof(address));
        }

        UInt128 value = 0;
        for (var i = 0; i < written; i++)
        {
            value = (value << 8) | bytes[i];
        }

        return value;
    }

    public static IPAddress ToAddress(UInt128 number, bool isV6)
    {
        if (!isV6)
        {
            var v4 = (uint)number;
            Span<byte> b4 = [(byte)(v4 >> 24), (byte)(v4 >> 16), (byte)(v4 >> 8), (byte)v4];
            return new IPAddress(b4);
        }

        Span<byte> b16 = stackalloc byte[16];
        for (var i = 15; i >= 0; i--)
        {
            b16[i] = (byte)number;
            number >>= 8;
        }

        return new IPAddress(b16);
    }

    private static UInt128 HostMask(int hostBits) =>
        hostBits >= 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;

    private void CheckChildPrefix(int newPrefix)
    {
        if (newPrefix < _prefix || newPrefix > Width)
        {
            throw new ArgumentOutOfRangeException(nameof(newPrefix), newPrefix, $"a child of {this} needs a prefix length from {_prefix} to {Width}");
        }
    }

    internal static int Log2Ceiling(ulong value) => value <= 1 ? 0 : 64 - BitOperations.LeadingZeroCount(value - 1);
}
