namespace RomanaAws.Agent.Tests.Integration;

/// <summary>Which independent routing implementation runs on a <see cref="RackLab"/>'s top-of-rack routers.</summary>
internal enum RouterKind
{
    /// <summary>GoBGP (gobgpd): BGP, hosts as dynamic neighbors; no BFD, no kernel (the lab copies its RIB into the FIB).</summary>
    GoBgp,

    /// <summary>FRR: zebra + ospfd, the rack's segment in the rack's area, the routers' link in the backbone.</summary>
    FrrOspf,

    /// <summary>FRR: zebra + bgpd + bfdd, hosts in a listen range with BFD.</summary>
    FrrBgp,
}
