using System.Text;
using RomanaAws.Core.Configuration;
using RomanaAws.Core.Ipam;

namespace RomanaAws.Fuzz;

/// <summary>A hosts file (<c>--hosts</c>): YAML or JSON text → <see cref="HostListReader.Parse"/>. Bad input is a <see cref="ConfigException"/>.</summary>
internal sealed class HostsTarget : FuzzTarget
{
    public override string Name => "hosts";

    public override void Run(ReadOnlySpan<byte> input)
    {
        foreach (var host in HostListReader.Parse(Encoding.UTF8.GetString(input), "fuzz-hosts.yaml"))
        {
            _ = host.PrimaryIp.ToString();
        }
    }

    public override bool IsExpected(Exception exception) => exception is ConfigException;
}
