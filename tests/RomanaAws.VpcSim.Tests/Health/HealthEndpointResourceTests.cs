using System.Net;
using System.Net.Sockets;
using Amazon.EC2.Model;

namespace RomanaAws.VpcSim.Tests.Health;

/// <summary>Health endpoints cost a bounded number of OS resources, and reset takes away those of launched instances.</summary>
[Collection(ProcessResources.Name)]
public sealed class HealthEndpointResourceTests
{
    private const string Subnet = "subnet-0a1a1a1a1a1a1a1a1";

    [Fact]
    public async Task RunInstances_ManyWithHealthEndpoints_NoInotifyInstancePerEndpoint()
    {
        await using var sim = await SimFixture.StartAsync(s => s.HealthEndpoints = true);
        var before = InotifyInstances();
        await sim.Ec2.RunInstancesAsync(new RunInstancesRequest { SubnetId = Subnet, MinCount = 40, MaxCount = 40, ImageId = "ami-00000000000000000" });
        Assert.True(sim.Simulator.Control.HealthEndpoints.Count >= 40 + 10);
        var after = InotifyInstances();
        Assert.True(after - before <= 2, $"inotify instances went from {before} to {after} for 40 health endpoints");
    }

    [Fact]
    public async Task Reset_LaunchedInstancesHealthEndpoints_StoppedAndGone()
    {
        await using var sim = await SimFixture.StartAsync(s => s.HealthEndpoints = true);
        var launched = (await sim.Ec2.RunInstancesAsync(new RunInstancesRequest { SubnetId = Subnet, MinCount = 1, MaxCount = 1, ImageId = "ami-00000000000000000" })).Reservation.Instances[0].InstanceId;
        var url = sim.Simulator.Control.HealthEndpoints[launched];
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(url)).StatusCode);

        using var admin = new HttpClient { BaseAddress = sim.Simulator.AdminEndpoint };
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("reset", null)).StatusCode);
        Assert.False(sim.Simulator.Control.HealthEndpoints.ContainsKey(launched));
        using var tcp = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => tcp.ConnectAsync(IPAddress.Loopback, url.Port));
        var kept = sim.Simulator.Control.HealthEndpoints["i-0b000000000000002"];
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(kept)).StatusCode);
    }

    [Fact]
    public async Task RunInstances_PastTheInstanceLimitOrBadCounts_Ec2Errors()
    {
        await using var sim = await SimFixture.StartAsync(s => s.InstanceLimit = 20);
        var ex = await Ec2Assert.Fails("InstanceLimitExceeded", () => sim.Ec2.RunInstancesAsync(new RunInstancesRequest { SubnetId = Subnet, MinCount = 1, MaxCount = 1_000_000 }));
        Assert.Contains("1000000", ex.Message, StringComparison.Ordinal);
        Assert.Contains("limit of 20", ex.Message, StringComparison.Ordinal);
        Assert.Equal(11, sim.Simulator.Control.Instances().Count);
        await Ec2Assert.Fails("InvalidParameterValue", () => sim.Ec2.RunInstancesAsync(new RunInstancesRequest { SubnetId = Subnet, MinCount = 3, MaxCount = 2 }));
        await Ec2Assert.Fails("InvalidParameterValue", () => sim.Ec2.RunInstancesAsync(new RunInstancesRequest { SubnetId = Subnet, MinCount = 0, MaxCount = 0 }));

        // Up to the limit is fine; terminated instances do not count, as in EC2.
        await sim.Ec2.RunInstancesAsync(new RunInstancesRequest { SubnetId = Subnet, MinCount = 9, MaxCount = 9 });
        await Ec2Assert.Fails("InstanceLimitExceeded", () => sim.Ec2.RunInstancesAsync(new RunInstancesRequest { SubnetId = Subnet, MinCount = 1, MaxCount = 1 }));
        await sim.Ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = ["i-0a000000000000002"] });
        await sim.Ec2.RunInstancesAsync(new RunInstancesRequest { SubnetId = Subnet, MinCount = 1, MaxCount = 1 });
    }

    private static int InotifyInstances() =>
        new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos().Count(f =>
        {
            try
            {
                return f.LinkTarget == "anon_inode:inotify";
            }
            catch (IOException)
            {
                return false;
            }
        });
}
