namespace RomanaAws.Fuzz;

/// <summary>
/// One fuzzed parser: what it does with an input, and which exceptions are its documented answer to bad input.
/// Any other exception escaping <see cref="Run"/> is a finding (SharpFuzz reports it to afl-fuzz as a crash).
/// </summary>
internal abstract class FuzzTarget
{
    /// <summary>Inputs longer than this are skipped: the parsers are not meant for files this large, and the fuzzer should not spend its time there.</summary>
    public const int MaxInputBytes = 64 * 1024;

    public abstract string Name { get; }

    /// <summary>Runs the parser on <paramref name="input"/>; returns normally for an accepted or a documented refusal.</summary>
    public abstract void Run(ReadOnlySpan<byte> input);

    /// <summary>True for the documented error types of this layer.</summary>
    public abstract bool IsExpected(Exception exception);

    /// <summary>Runs one input and swallows the documented refusals, so only findings escape.</summary>
    public void RunOne(ReadOnlySpan<byte> input)
    {
        if (input.Length > MaxInputBytes)
        {
            return;
        }

        try
        {
            Run(input);
        }
        catch (Exception ex) when (IsExpected(ex))
        {
            // The documented answer to bad input.
        }
    }
}
