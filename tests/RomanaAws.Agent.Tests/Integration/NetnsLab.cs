using System.Diagnostics;

namespace RomanaAws.Agent.Tests.Integration;

/// <summary>
/// A small lab built by the test out of Linux network namespaces: a switch namespace with a bridge (the subnet),
/// three host namespaces on it, one pod namespace behind each host. Every address exists only inside these
/// namespaces; everything is removed on dispose.
/// </summary>
internal sealed class NetnsLab : IDisposable
{
    private readonly string _id = Guid.NewGuid().ToString("N")[..5];
    private readonly List<string> _namespaces = [];

    public string Switch => $"rsw-{_id}";

    public string Host(int i) => $"rh{i}-{_id}";

    public string Pod(int i) => $"rp{i}-{_id}";

    public static string HostIp(int i) => $"172.31.0.{10 + i}";

    public static string PodIp(int i) => $"100.96.0.{(16 * i) + 1}";

    public static string Block(int i) => $"100.96.0.{16 * i}/28";

    /// <summary>Why the lab cannot run here (not root, a tool missing), or null.</summary>
    public static string? Missing()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            return "needs Linux and root";
        }

        var missing = new[] { "ip", "iptables", "iptables-restore", "ipset", "nc", "ping", "sysctl" }
            .Where(tool => !new[] { "/usr/sbin", "/usr/bin", "/sbin", "/bin" }.Any(d => File.Exists(Path.Combine(d, tool)))).ToList();
        return missing.Count == 0 ? null : $"missing tools: {string.Join(", ", missing)} (scripts/test.sh installs them as root)";
    }

    public void Build(int hosts)
    {
        Add(Switch);
        Sh($"ip -n {Switch} link add br0 type bridge && ip -n {Switch} link set br0 up");
        for (var i = 1; i <= hosts; i++)
        {
            Add(Host(i));
            Add(Pod(i));
            Sh($"ip link add h{i}{_id} netns {Host(i)} type veth peer name s{i}{_id} netns {Switch}");
            Sh($"ip -n {Switch} link set s{i}{_id} master br0 up");
            Sh($"ip -n {Host(i)} link set h{i}{_id} name eth0 && ip -n {Host(i)} addr add {HostIp(i)}/24 dev eth0 && ip -n {Host(i)} link set eth0 up && ip -n {Host(i)} link set lo up");
            Sh($"ip link add p{i}{_id} netns {Pod(i)} type veth peer name v{i}{_id} netns {Host(i)}");
            Sh($"ip -n {Pod(i)} link set p{i}{_id} name eth0 && ip -n {Pod(i)} addr add {PodIp(i)}/32 dev eth0 && ip -n {Pod(i)} link set eth0 up && ip -n {Pod(i)} link set lo up");
            Sh($"ip -n {Pod(i)} route add 169.254.1.1 dev eth0 && ip -n {Pod(i)} route add default via 169.254.1.1 dev eth0");
            Sh($"ip -n {Host(i)} link set v{i}{_id} up && ip -n {Host(i)} addr add 169.254.1.1/32 dev v{i}{_id} && ip -n {Host(i)} route add {PodIp(i)}/32 dev v{i}{_id}");
        }
    }

    public bool Ping(int from, int to) => Run($"ip netns exec {Pod(from)} ping -c 1 -W 1 {PodIp(to)}").ExitCode == 0;

    public bool Connect(int from, int to, int port) => Run($"ip netns exec {Pod(from)} nc -z -w 1 {PodIp(to)} {port}").ExitCode == 0;

    /// <summary>A TCP listener in a pod, for the lab's lifetime.</summary>
    public Process Listen(int pod, int port)
    {
        var process = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", Pod(pod), "nc", "-lk", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        WaitForPort(pod, port, listening: true);
        return process;
    }

    /// <summary>Waits (at most 5 s) until a pod's TCP port is, or is no longer, listening.</summary>
    public bool WaitForPort(int pod, int port, bool listening)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(5))
        {
            if (Run($"ip netns exec {Pod(pod)} sh -c 'ss -ltn | grep -q \":{port} \"'").Ok == listening)
            {
                return true;
            }

            Thread.Yield();
        }

        return false;
    }

    /// <summary>A shell command running in the background until disposed (killed with its children).</summary>
    public static Background Background(string command) => new(Process.Start(new ProcessStartInfo("setsid", ["sh", "-c", command]) { RedirectStandardOutput = true, RedirectStandardError = true })!);

    public static string Sh(string command)
    {
        var result = Run(command);
        return result.Ok ? result.Output : throw new InvalidOperationException($"{command}: {result.Error}");
    }

    public static (int ExitCode, string Output, string Error, bool Ok) Run(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("sh", ["-c", command]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error, process.ExitCode == 0);
    }

    private void Add(string name)
    {
        Sh($"ip netns add {name}");
        _namespaces.Add(name);
    }

    public void Dispose()
    {
        foreach (var name in _namespaces)
        {
            Run($"ip netns pids {name} | xargs -r kill; ip netns del {name}");
        }
    }
}

/// <summary>A background process group, killed whole on dispose.</summary>
internal sealed class Background(Process process) : IDisposable
{
    public bool HasExited => process.HasExited;

    public void Dispose()
    {
        NetnsLab.Run($"kill -TERM -{process.Id} 2>/dev/null || true");
        process.WaitForExit(2000);
        process.Dispose();
    }
}
