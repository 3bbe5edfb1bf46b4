using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using RomanaAws.Benchmarks;

// "--state-file [runs]": the measured run through the real file store; "--ec2-calls": EC2 calls per reconcile
// against the simulator; "--plan-scale": ipam plan against the number of hosts. Anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "--state-file")
{
    return await StateFileMeasurement.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 7);
}

if (args.Length > 0 && args[0] == "--agent")
{
    return await AgentMeasurement.RunAsync();
}

if (args.Length > 0 && args[0] == "--rack-convergence")
{
    return await RackConvergenceMeasurement.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3);
}

if (args.Length > 0 && args[0] == "--failover")
{
    return await FailoverMeasurement.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 50);
}

// "--plan-scale [CLI.dll|-] [hosts ...]": ipam plan time against the number of hosts, in process and through the CLI.
if (args.Length > 0 && args[0] == "--plan-scale")
{
    var cli = args.Length > 1 && args[1] != "-" ? args[1] : null;
    var sizes = args.Length > 2 ? args[2..].Select(a => int.Parse(a, System.Globalization.CultureInfo.InvariantCulture)).ToArray() : PlanScaleMeasurement.DefaultSizes;
    return await PlanScaleMeasurement.RunAsync(cli, sizes);
}

// "--netpol [CLI.dll|-] [events]": NetworkPolicy at 10,000 pods: rules against the anchors; as root, the agent process.
if (args.Length > 0 && args[0] == "--netpol")
{
    var cli = args.Length > 1 && args[1] != "-" ? args[1] : null;
    return await NetpolMeasurement.RunAsync(cli, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 50);
}

// "--takeover [trials] [anchor trials]": kill -9 of the leader, with the default lease and with client-go's 15 s.
if (args.Length > 0 && args[0] == "--takeover")
{
    return await TakeoverMeasurement.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5);
}

// "--claims [count] [seconds]": block claim latency (through the leader and the standby) and throughput on etcd.
if (args.Length > 0 && args[0] == "--claims")
{
    return await ClaimMeasurement.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200, TimeSpan.FromSeconds(args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10));
}

// "--etcd-load [runs]": the 5,000-host / 25,000-block state loaded in a fresh process from etcd and from the file store.
if (args.Length > 0 && args[0] == "--etcd-load")
{
    return await EtcdLoadMeasurement.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 7);
}

if (args.Length > 0 && args[0] == "--load-child")
{
    return await EtcdLoadMeasurement.LoadOnceAsync(args[1], args[2], args[3]);
}

if (args.Length > 0 && args[0] == "--ec2-calls")
{
    return await Ec2CallsMeasurement.RunAsync();
}

var config = DefaultConfig.Instance.AddJob(Job.Default.WithWarmupCount(2).WithIterationCount(8).WithId("bench"));
BenchmarkSwitcher.FromAssembly(typeof(IpamBenchmarks).Assembly).Run(args, config);
return 0;
