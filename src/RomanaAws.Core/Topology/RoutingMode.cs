namespace RomanaAws.Core.Topology;

/// <summary>How the groups' aggregates reach the network: VPC route tables (the controller writes them) or BGP (every node advertises its own).</summary>
public enum RoutingMode
{
    /// <summary>One VPC route per group in every managed route table, targeting a healthy host of the group.</summary>
    Vpc,

    /// <summary>Every node advertises its group's aggregate to its rack's routers over BGP, with itself as next hop (BIRD on the node).</summary>
    Bgp,

    /// <summary>Every node announces its group's aggregate into OSPF as an external route (BIRD's OSPF), one area per rack by default.</summary>
    Ospf,
}
