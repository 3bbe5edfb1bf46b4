using SharpFuzz;

namespace RomanaAws.Fuzz;

/// <summary>
/// <c>RomanaAws.Fuzz TARGET</c>: the afl-fuzz entry point (SharpFuzz's out-of-process fork server, so a stack overflow
/// or a hang kills only the child and is recorded). <c>RomanaAws.Fuzz TARGET FILE…</c>: replays inputs once each and
/// prints the outcome with the exception and its stack (exit 1 when any input is a finding).
/// </summary>
internal static class Program
{
    private static readonly FuzzTarget[] Targets = [new TopologyTarget(), new IpamStateTarget(), new HostsTarget(), new SimQueryTarget(), new SimScenarioTarget()];

    public static int Main(string[] args)
    {
        var target = args.Length > 0 ? Targets.FirstOrDefault(t => t.Name == args[0]) : null;
        if (target is null)
        {
            Console.Error.WriteLine($"usage: RomanaAws.Fuzz TARGET [FILE...]; TARGET is one of: {string.Join(", ", Targets.Select(t => t.Name))}");
            return 2;
        }

        if (args.Length > 1)
        {
            return Replay.Run(target, args[1..], Console.Out);
        }

        Fuzzer.OutOfProcess.Run(stream => target.RunOne(FuzzInput.Read(stream)));
        return 0;
    }
}
