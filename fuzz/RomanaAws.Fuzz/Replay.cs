using System.Diagnostics;

namespace RomanaAws.Fuzz;

/// <summary>
/// Runs saved inputs once each and says, per file, whether it was accepted, refused as documented, or a finding.
/// A finding is one line: the exception type, the first frame in our code (where it escaped from) and the top frame;
/// <c>--stack</c> adds the whole exception.
/// </summary>
internal static class Replay
{
    public static int Run(FuzzTarget target, IReadOnlyList<string> arguments, TextWriter output)
    {
        var stack = arguments.Contains("--stack");
        var findings = 0;
        foreach (var file in arguments.Where(a => a != "--stack"))
        {
            var input = File.ReadAllBytes(file);
            if (input.Length > FuzzTarget.MaxInputBytes)
            {
                output.WriteLine($"{file}: skipped ({input.Length} bytes, over the {FuzzTarget.MaxInputBytes}-byte bound)");
                continue;
            }

            try
            {
                target.Run(input);
                output.WriteLine($"{file}: accepted");
            }
            catch (Exception ex) when (target.IsExpected(ex))
            {
                output.WriteLine($"{file}: refused ({ex.GetType().Name}: {Cap(FirstLine(ex.Message))})");
            }
            catch (Exception ex)
            {
                findings++;
                output.WriteLine($"{file}: FINDING {ex.GetType().FullName} in {Frame(ex, ours: true)}, top {Frame(ex, ours: false)}: {Cap(FirstLine(ex.Message))}");
                if (stack)
                {
                    output.WriteLine(ex.ToString());
                }
            }
        }

        return findings > 0 ? 1 : 0;
    }

    /// <summary>The top frame, or the first frame in RomanaAws code outside this harness.</summary>
    private static string Frame(Exception exception, bool ours)
    {
        var frames = new StackTrace(exception, fNeedFileInfo: false).GetFrames();
        var frame = ours
            ? frames.FirstOrDefault(f => f.GetMethod()?.DeclaringType?.FullName is { } type && type.StartsWith("RomanaAws.", StringComparison.Ordinal) && !type.StartsWith("RomanaAws.Fuzz.", StringComparison.Ordinal))
            : frames.FirstOrDefault();
        var method = frame?.GetMethod();
        return method is null ? "?" : $"{method.DeclaringType?.FullName}.{method.Name}";
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].TrimEnd('\r');

    private static string Cap(string text) => text.Length > 200 ? text[..200] + "…" : text;
}
