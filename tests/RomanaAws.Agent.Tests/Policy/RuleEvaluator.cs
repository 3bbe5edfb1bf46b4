using System.Globalization;
using System.Net;
using RomanaAws.Agent.Policy;
using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Tests.Policy;

/// <summary>A new connection's first packet, as the FORWARD chain sees it.</summary>
internal sealed record Packet(IPAddress Source, IPAddress Destination, string Protocol, int Port);

/// <summary>
/// Runs a packet through compiled rules the way netfilter does, for the subset the compiler writes: set matches
/// (hash:net, longest prefix first, nomatch entries exclude), -s/-d, -p with --dport (ranges), marks (--set-xmark,
/// --mark), jumps, RETURN, DROP, ACCEPT; conntrack state is always NEW. Written from the iptables and ipset manuals,
/// not from the compiler, so the semantic tests compare two independent readings of a policy.
/// </summary>
internal sealed class RuleEvaluator(CompiledPolicy policy)
{
    private readonly Dictionary<string, List<string[]>> _chains = Parse(policy.IptablesRestore);

    /// <summary>True when the packet leaves ROMANA-FORWARD without being dropped.</summary>
    public bool Allows(Packet packet)
    {
        var mark = 0;
        return Run(PolicyCompiler.ForwardChain, packet, ref mark, depth: 0) != "DROP";
    }

    private string? Run(string chain, Packet packet, ref int mark, int depth)
    {
        Assert.True(depth < 10, $"jump loop at {chain}");
        foreach (var rule in _chains[chain])
        {
            if (!Matches(rule, packet, mark))
            {
                continue;
            }

            var target = Value(rule, "-j")!;
            switch (target)
            {
                case "RETURN":
                    return null;
                case "DROP" or "ACCEPT":
                    return target;
                case "MARK":
                    var (value, mask) = Mark(Value(rule, "--set-xmark")!);
                    mark = (mark & ~mask) ^ value;
                    break;
                default:
                    if (Run(target, packet, ref mark, depth + 1) is { } verdict)
                    {
                        return verdict;
                    }

                    break;
            }
        }

        return null;
    }

    private bool Matches(string[] rule, Packet packet, int mark)
    {
        for (var i = 0; i < rule.Length; i++)
        {
            var ok = rule[i] switch
            {
                "--ctstate" => false,
                "--match-set" => InSet(rule[i + 1], rule[i + 2] == "src" ? packet.Source : packet.Destination),
                "-s" => Cidr.Parse(rule[i + 1]).Contains(packet.Source),
                "-d" => Cidr.Parse(rule[i + 1]).Contains(packet.Destination),
                "-p" => string.Equals(rule[i + 1], packet.Protocol, StringComparison.OrdinalIgnoreCase),
                "--dport" => InRange(rule[i + 1], packet.Port),
                "--mark" => (mark & Mark(rule[i + 1]).Mask) == Mark(rule[i + 1]).Value,
                _ => true,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private bool InSet(string name, IPAddress address)
    {
        var entries = policy.SetEntries[name].Select(e => (Cidr: Cidr.Parse(e.Split(' ')[0]), NoMatch: e.EndsWith(" nomatch", StringComparison.Ordinal)))
            .Where(e => e.Cidr.Contains(address)).OrderByDescending(e => e.Cidr.PrefixLength).ToList();
        return entries.Count > 0 && !entries[0].NoMatch;
    }

    private static bool InRange(string ports, int port)
    {
        var parts = ports.Split(':');
        var low = int.Parse(parts[0], CultureInfo.InvariantCulture);
        var high = parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : low;
        return port >= low && port <= high;
    }

    private static (int Value, int Mask) Mark(string text)
    {
        var parts = text.Split('/');
        return (Convert.ToInt32(parts[0], 16), Convert.ToInt32(parts[1], 16));
    }

    private static string? Value(string[] rule, string flag) => Array.IndexOf(rule, flag) is var i and >= 0 ? rule[i + 1] : null;

    private static Dictionary<string, List<string[]>> Parse(string script)
    {
        var chains = new Dictionary<string, List<string[]>>(StringComparer.Ordinal);
        foreach (var line in script.Split('\n'))
        {
            if (line.Length > 0 && line[0] == ':')
            {
                chains[line[1..line.IndexOf(' ', StringComparison.Ordinal)]] = [];
            }
            else if (line.StartsWith("-A ", StringComparison.Ordinal))
            {
                var words = Words(line[3..]);
                chains[words[0]].Add(words[1..]);
            }
        }

        return chains;
    }

    private static string[] Words(string line)
    {
        var words = new List<string>();
        var quoted = false;
        var word = new System.Text.StringBuilder();
        foreach (var c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ' ' && !quoted)
            {
                if (word.Length > 0)
                {
                    words.Add(word.ToString());
                    word.Clear();
                }
            }
            else
            {
                word.Append(c);
            }
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        return [.. words];
    }
}
