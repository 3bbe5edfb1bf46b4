using RomanaAws.Lab.Router;
using RomanaAws.VpcSim.Dataplane;

namespace RomanaAws.Lab.Build;

/// <summary>An instance as a network namespace: eth0 with its private IP on its subnet's bridge, default route via the subnet's .1.</summary>
public static class NodeNamespace
{
    public static void Create(DataplaneInstance instance, RouterSubnet subnet)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(subnet);
        var node = LabNames.Node(instance.Id);
        Shell.Run("ip", "netns", "add", node);
        Shell.Run("ip", "link", "add", LabNames.NodeEnd(instance.Id), "netns", node, "type", "veth", "peer", "name", LabNames.Port(instance.Id), "netns", LabNames.RouterNamespace);
        Shell.IpBatch(LabNames.RouterNamespace, [$"link set {LabNames.Port(instance.Id)} master {subnet.Bridge}", $"link set {LabNames.Port(instance.Id)} {(instance.State == "running" ? "up" : "down")}"]);
        Shell.IpBatch(node, [
            "link set lo up",
            $"link set {LabNames.NodeEnd(instance.Id)} name eth0",
            $"address add {instance.PrivateIp}/{subnet.PrefixLength} dev eth0",
            "link set eth0 up",
            $"route add default via {subnet.RouterAddress} dev eth0",
        ]);
    }
}
