using RomanaAws.VpcSim.World;
using static RomanaAws.VpcSim.Ec2.Ec2Xml;

namespace RomanaAws.VpcSim.Ec2.Actions;

/// <summary>The instance item shared by DescribeInstances and RunInstances.</summary>
internal static class InstanceXml
{
    public static object?[] Item(SimWorld world, SimInstance i) =>
    [
        E("instanceId", i.Id), E("imageId", i.ImageId), State("instanceState", i.State),
        E("privateDnsName", $"ip-{i.PrivateIp.ToString().Replace('.', '-')}.ec2.internal"), E("dnsName"), E("reason"),
        E("amiLaunchIndex", 0), E("productCodes"), E("instanceType", i.InstanceType), E("launchTime", Time(i.LaunchTime)),
        E("placement", E("availabilityZone", i.Subnet.Zone), E("groupName"), E("tenancy", "default")),
        E("monitoring", E("state", "disabled")),
        i.State == InstanceState.Terminated ? null : new object[] { E("subnetId", i.Subnet.Id), E("vpcId", i.Subnet.VpcId), E("privateIpAddress", i.PrivateIp.ToString()) },
        E("sourceDestCheck", Bool(i.Primary.SourceDestCheck)), E("groupSet"), E("architecture", "x86_64"), E("rootDeviceType", "ebs"),
        E("rootDeviceName", "/dev/xvda"), E("blockDeviceMapping"), E("virtualizationType", "hvm"), E("clientToken"), TagSet(i.Tags),
        E("hypervisor", "xen"),
        Set("networkInterfaceSet", i.Interfaces.Where(e => !e.Deleted), e => [E("networkInterfaceId", e.Id), E("subnetId", e.Subnet.Id),
            E("vpcId", e.Subnet.VpcId), E("description"), E("ownerId", world.Settings.AccountId), E("status", e.Status),
            E("privateIpAddress", e.PrivateIp.ToString()), E("sourceDestCheck", Bool(e.SourceDestCheck)), E("groupSet"),
            E("attachment", E("attachmentId", e.AttachmentId), E("deviceIndex", e.DeviceIndex), E("status", "attached"),
                E("deleteOnTermination", Bool(e.DeviceIndex == 0))),
            Set("privateIpAddressesSet", [e], p => [E("privateIpAddress", p.PrivateIp.ToString()), E("primary", "true")]),
            E("interfaceType", "interface")]),
        E("ebsOptimized", "false"),
    ];

    public static System.Xml.Linq.XElement State(string name, InstanceState state) =>
        E(name, E("code", (int)state), E("name", state.Name()));
}
