using System.Buffers.Binary;
using System.Net;

namespace RomanaAws.Cni.Netlink;

/// <summary>
/// The rtnetlink operations a pod's data path needs, over one <see cref="NetlinkSocket"/>: links (veth pairs, up,
/// delete, list), IPv4 addresses, routes and permanent neighbours. Thin: each call is one request.
/// </summary>
internal sealed class Rtnl(NetlinkSocket socket)
{
    public const byte ScopeUniverse = 0;
    public const byte ScopeLink = 253;

    private const ushort NewLink = 16;
    private const ushort DelLink = 17;
    private const ushort GetLink = 18;
    private const ushort NewAddr = 20;
    private const ushort GetAddr = 22;
    private const ushort NewRoute = 24;
    private const ushort GetRoute = 26;
    private const ushort NewNeigh = 28;
    private const ushort IflaAddress = 1;
    private const ushort IflaIfname = 3;
    private const ushort IflaMtu = 4;
    private const ushort IflaLinkinfo = 18;
    private const ushort IflaNetNsFd = 28;
    private const ushort IflaInfoKind = 1;
    private const ushort IflaInfoData = 2;
    private const ushort VethInfoPeer = 1;
    private const ushort IfaAddress = 1;
    private const ushort IfaLocal = 2;
    private const ushort RtaDst = 1;
    private const ushort RtaOif = 4;
    private const ushort RtaGateway = 5;
    private const ushort NdaDst = 1;
    private const ushort NdaLladdr = 2;
    private const byte AfInet = 2;
    private const byte TableMain = 254;
    private const uint FlagUp = 1;

    /// <summary>The route protocol number the plugin marks its routes with (the agent's own are 148; both differ from the kernel's and iproute2's).</summary>
    public const byte PodRouteProtocol = 149;

    public LinkInfo? Link(string name)
    {
        try
        {
            var answer = socket.Query(new NetlinkMessage(GetLink, NetlinkMessage.Request).Header(new byte[16]).Attribute(IflaIfname, name), $"get link {name}");
            return answer.Count == 0 ? null : ParseLink(answer[0]);
        }
        catch (NetlinkException e) when (e.Errno == NetlinkException.NoSuchDevice)
        {
            return null;
        }
    }

    public List<LinkInfo> Links() =>
        socket.Query(new NetlinkMessage(GetLink, NetlinkMessage.Request | NetlinkMessage.Dump).Header(new byte[16]), "list links").Select(ParseLink).ToList();

    /// <summary>Creates a veth pair: <paramref name="hostName"/> here, <paramref name="peerName"/> directly inside <paramref name="peerNamespace"/>.</summary>
    public void CreateVeth(string hostName, string peerName, NetworkNamespace peerNamespace, int mtu)
    {
        ArgumentNullException.ThrowIfNull(peerNamespace);
        var message = new NetlinkMessage(NewLink, NetlinkMessage.Request | NetlinkMessage.Ack | NetlinkMessage.Create | NetlinkMessage.Excl)
            .Header(new byte[16]).Attribute(IflaIfname, hostName).Attribute(IflaMtu, (uint)mtu);
        var info = message.Begin(IflaLinkinfo);
        message.Attribute(IflaInfoKind, "veth");
        var data = message.Begin(IflaInfoData);
        var peer = message.Begin(VethInfoPeer);
        message.Header(new byte[16]).Attribute(IflaIfname, peerName).Attribute(IflaMtu, (uint)mtu).Attribute(IflaNetNsFd, (uint)peerNamespace.Fd);
        message.End(peer).End(data).End(info);
        socket.Execute(message, $"create veth {hostName} (peer {peerName} in {peerNamespace.Path})");
    }

    public void SetUp(LinkInfo link)
    {
        ArgumentNullException.ThrowIfNull(link);
        var header = IfInfo(link.Index, FlagUp, FlagUp);
        socket.Execute(new NetlinkMessage(NewLink, NetlinkMessage.Request | NetlinkMessage.Ack).Header(header), $"set {link.Name} up");
    }

    /// <summary>Deletes a link (a veth's peer goes with it); false when it did not exist.</summary>
    public bool DeleteLink(string name)
    {
        try
        {
            socket.Execute(new NetlinkMessage(DelLink, NetlinkMessage.Request | NetlinkMessage.Ack).Header(new byte[16]).Attribute(IflaIfname, name), $"delete link {name}");
            return true;
        }
        catch (NetlinkException e) when (e.Errno == NetlinkException.NoSuchDevice)
        {
            return false;
        }
    }

    public void ReplaceAddress(LinkInfo link, IPAddress address, int prefixLength)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(address);
        var header = new byte[8];
        header[0] = AfInet;
        header[1] = (byte)prefixLength;
        header[3] = ScopeUniverse;
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), link.Index);
        var bytes = address.GetAddressBytes();
        socket.Execute(new NetlinkMessage(NewAddr, NetlinkMessage.Request | NetlinkMessage.Ack | NetlinkMessage.Create | NetlinkMessage.Replace)
            .Header(header).Attribute(IfaLocal, bytes).Attribute(IfaAddress, bytes), $"add {address}/{prefixLength} to {link.Name}");
    }

    /// <summary>The IPv4 addresses of the link with <paramref name="index"/>, as (address, prefix length).</summary>
    public List<(IPAddress Address, int PrefixLength)> Addresses(int index)
    {
        var header = new byte[8];
        header[0] = AfInet;
        var result = new List<(IPAddress, int)>();
        foreach (var payload in socket.Query(new NetlinkMessage(GetAddr, NetlinkMessage.Request | NetlinkMessage.Dump).Header(header), "list addresses"))
        {
            if (payload.Length < 8 || BinaryPrimitives.ReadInt32LittleEndian(payload.AsSpan(4)) != index)
            {
                continue;
            }

            var attributes = NetlinkAttributes.Parse(payload, 8);
            if ((attributes.GetValueOrDefault(IfaLocal) ?? attributes.GetValueOrDefault(IfaAddress)) is { Length: 4 } bytes)
            {
                result.Add((new IPAddress(bytes), payload[1]));
            }
        }

        return result;
    }

    public void ReplaceRoute(IPAddress destination, int prefixLength, IPAddress? gateway, LinkInfo link, byte scope)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(link);
        var header = new byte[12];
        header[0] = AfInet;
        header[1] = (byte)prefixLength;
        header[4] = TableMain;
        header[5] = PodRouteProtocol;
        header[6] = scope;
        header[7] = 1; // RTN_UNICAST
        var message = new NetlinkMessage(NewRoute, NetlinkMessage.Request | NetlinkMessage.Ack | NetlinkMessage.Create | NetlinkMessage.Replace).Header(header);
        if (prefixLength > 0)
        {
            message.Attribute(RtaDst, destination.GetAddressBytes());
        }

        if (gateway is not null)
        {
            message.Attribute(RtaGateway, gateway.GetAddressBytes());
        }

        message.Attribute(RtaOif, (uint)link.Index);
        socket.Execute(message, $"route {destination}/{prefixLength}{(gateway is null ? "" : $" via {gateway}")} dev {link.Name}");
    }

    public List<RouteInfo> Routes()
    {
        var header = new byte[12];
        header[0] = AfInet;
        var routes = new List<RouteInfo>();
        foreach (var payload in socket.Query(new NetlinkMessage(GetRoute, NetlinkMessage.Request | NetlinkMessage.Dump).Header(header), "list routes"))
        {
            if (payload.Length < 12 || payload[4] != TableMain)
            {
                continue;
            }

            var attributes = NetlinkAttributes.Parse(payload, 12);
            var dst = attributes.GetValueOrDefault(RtaDst) is { Length: 4 } d ? new IPAddress(d) : null;
            var gw = attributes.GetValueOrDefault(RtaGateway) is { Length: 4 } g ? new IPAddress(g) : null;
            routes.Add(new RouteInfo(dst, payload[1], gw, (int)(NetlinkAttributes.UInt32(attributes, RtaOif) ?? 0), payload[6]));
        }

        return routes;
    }

    /// <summary>A permanent neighbour entry: <paramref name="address"/> is at <paramref name="mac"/> on <paramref name="link"/> (no ARP needed).</summary>
    public void ReplaceNeighbour(LinkInfo link, IPAddress address, string mac)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(mac);
        var header = new byte[12];
        header[0] = AfInet;
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), link.Index);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), 0x80); // NUD_PERMANENT
        socket.Execute(new NetlinkMessage(NewNeigh, NetlinkMessage.Request | NetlinkMessage.Ack | NetlinkMessage.Create | NetlinkMessage.Replace)
            .Header(header).Attribute(NdaDst, address.GetAddressBytes()).Attribute(NdaLladdr, Convert.FromHexString(mac.Replace(":", "", StringComparison.Ordinal))),
            $"neighbour {address} lladdr {mac} dev {link.Name}");
    }

    private static byte[] IfInfo(int index, uint flags, uint change)
    {
        var header = new byte[16];
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), index);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), change);
        return header;
    }

    private static LinkInfo ParseLink(byte[] payload)
    {
        var index = BinaryPrimitives.ReadInt32LittleEndian(payload.AsSpan(4));
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(payload.AsSpan(8));
        var attributes = NetlinkAttributes.Parse(payload, 16);
        var mac = attributes.GetValueOrDefault(IflaAddress) is { } m ? string.Join(':', m.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture))) : "";
        return new LinkInfo(index, NetlinkAttributes.String(attributes, IflaIfname) ?? "", mac, (int)(NetlinkAttributes.UInt32(attributes, IflaMtu) ?? 0), (flags & FlagUp) != 0);
    }
}
