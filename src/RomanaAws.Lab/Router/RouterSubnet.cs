namespace RomanaAws.Lab.Router;

/// <summary>A subnet as a bridge of the router: the bridge's name and the router's own address on it (the subnet's .1, as in a VPC).</summary>
public sealed record RouterSubnet(string SubnetId, string Zone, string Cidr, string Bridge, string RouterAddress, int PrefixLength);
