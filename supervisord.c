/* supervisord.c: placeholder until main() lands. */
int
main(void)
{
	return 0;
}
