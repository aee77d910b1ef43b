using Steve2.Pipeline.Student.Inference;

namespace Steve2.Pipeline.Tests.Student;

/// <summary>
/// Where a retry goes first when the critic says what is wrong (<see cref="StudentAsking.FaultPlace"/>): the token of the
/// answer that writes the first character otherwise than wanted, read through the answer's own pieces.
/// </summary>
public sealed class StudentAskingTests
{
    /// <summary>Ids are indices into <paramref name="pieces"/>; the text is the pieces joined (the student's decoding, without its space rule).</summary>
    private static (int[] Ids, Func<IReadOnlyList<int>, string> Decode) Answer(params string[] pieces) =>
        ([.. Enumerable.Range(0, pieces.Length)], ids => string.Concat(ids.Select(i => pieces[i])));

    /// <summary>Catches: a retry branching at the argument's first token when only its later digits were wrong (a sign then <c>1</c> for <c>-15</c>).</summary>
    [Fact]
    public void A_number_written_short_goes_another_way_after_its_last_right_digit()
    {
        var (ids, decode) = Answer("placeBox(", "\"oak", "_planks\"", ",", " -", "3", ",", " 42", ",", " -", "15", ",", " -", "1", ",", " 45", ",", " -", "1", ")");
        Assert.Equal(19, StudentAsking.FaultPlace(ids, decode, new AnswerFault(6, "-15")));   // after "-1": the bracket, where a 5 could go
        Assert.Equal(17, StudentAsking.FaultPlace(ids, decode, new AnswerFault(6, "45")));    // the sign itself
        Assert.Equal(13, StudentAsking.FaultPlace(ids, decode, new AnswerFault(4, "-3")));    // the sign right, its digits not
        Assert.Equal(1, StudentAsking.FaultPlace(ids, decode, new AnswerFault(0, "\"stone\"")));   // the quote matches; "oak" is the first difference
    }

    [Fact]
    public void A_wrong_coordinate_goes_another_way_at_its_first_token_and_the_action_at_the_first()
    {
        var (ids, decode) = Answer("open", "Chest", "(", " 3", ",", " 42", ",", " -", "47", ")");
        Assert.Equal(3, StudentAsking.FaultPlace(ids, decode, new AnswerFault(0, "4")));
        Assert.Equal(0, StudentAsking.FaultPlace(ids, decode, AnswerFault.Action));
        Assert.Null(StudentAsking.FaultPlace(ids, decode, new AnswerFault(3, "5")));   // no fourth argument
        Assert.Null(StudentAsking.FaultPlace([], decode, AnswerFault.Action));
    }
}
